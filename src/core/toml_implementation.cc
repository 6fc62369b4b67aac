// toml++'s implementation, compiled into the program instead of loaded from libtomlplusplus.so
// (see MG_STATIC_CXX in the top CMakeLists.txt: a shared C++ library costs every start).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
