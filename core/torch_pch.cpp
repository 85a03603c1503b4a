// Translation unit that carries the precompiled LibTorch header (see core/CMakeLists.txt).
