# Third-party packages, all from Debian 12 (or brought along as .deb files on
# machines without them; see README "Building without Qt").
find_package(Torch REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CFITSIO REQUIRED IMPORTED_TARGET cfitsio)
pkg_check_modules(WCSLIB REQUIRED IMPORTED_TARGET wcslib)

if(ASTRORIM_WITH_QT)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Test LinguistTools)
  find_package(QCustomPlotQt6 REQUIRED)
endif()
