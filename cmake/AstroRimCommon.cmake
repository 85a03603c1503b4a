# Every target links astrorim_common instead of touching global flags.
add_library(astrorim_common INTERFACE)
add_library(AstroRim::common ALIAS astrorim_common)

target_compile_features(astrorim_common INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

# Qt's `signals`/`slots` keywords clash with LibTorch headers.
target_compile_definitions(astrorim_common INTERFACE QT_NO_KEYWORDS)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(astrorim_common INTERFACE -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor)
endif()

if(ASTRORIM_SANITIZE)
  target_compile_options(astrorim_common INTERFACE
      -fsanitize=${ASTRORIM_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(astrorim_common INTERFACE -fsanitize=${ASTRORIM_SANITIZE})
endif()
