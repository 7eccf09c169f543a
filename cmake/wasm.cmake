# The WebAssembly build (`cmake --preset wasm`, docs/wasm.md): the same sources and embedded data
# as the native build, compiled by Debian's emscripten. Included by CMakeLists.txt when the
# toolchain is emscripten's; the native build never reads this file.
#
# Libraries come from scripts/wasm-deps, under the build dir: yaml-cpp compiled for wasm from
# Debian's source package, and a directory of links to Debian's header-only libraries (fmt, CLI11,
# nlohmann-json, valijson), kept apart from /usr/include so no glibc header reaches the wasm build.
set(PLANNER_WASM_DEPS "${CMAKE_BINARY_DIR}/_deps" CACHE PATH "where scripts/wasm-deps put the wasm libraries")
if(NOT EXISTS "${PLANNER_WASM_DEPS}/yaml-cpp/lib/libyaml-cpp.a" OR NOT EXISTS "${PLANNER_WASM_DEPS}/include/CLI")
  message(FATAL_ERROR "wasm libraries not found in ${PLANNER_WASM_DEPS}: run scripts/wasm-deps (or scripts/build-wasm)")
endif()
include_directories(SYSTEM "${PLANNER_WASM_DEPS}/yaml-cpp/include" "${PLANNER_WASM_DEPS}/include")
# The names CMakeLists.txt links against, as find_package would define them natively; the headers
# come from the include directories above. yaml-cpp is linked by path as in the static native build,
# with fmt compiled once (planner_fmt).
foreach(lib fmt::fmt CLI11::CLI11 nlohmann_json::nlohmann_json)
  add_library(${lib} INTERFACE IMPORTED)
endforeach()
set(YAML_CPP_STATIC "${PLANNER_WASM_DEPS}/yaml-cpp/lib/libyaml-cpp.a" CACHE FILEPATH "yaml-cpp compiled for wasm")
set(VALIJSON_INCLUDE "${PLANNER_WASM_DEPS}/include" CACHE PATH "valijson's headers (links made by scripts/wasm-deps)")

# Native exceptions of WebAssembly (node >= 17, current browsers): yaml-cpp and planner throw and
# catch; emscripten's default would abort on the first throw. scripts/wasm-deps builds yaml-cpp so.
add_compile_options(-fwasm-exceptions)
# The stack native planner has (8 MiB, Linux's default) rather than emscripten's 5 MiB, and a heap
# that grows as a large catalog or config needs.
add_link_options(-fwasm-exceptions -sALLOW_MEMORY_GROWTH=1 -sTOTAL_STACK=8388608 -sINITIAL_MEMORY=33554432)
# Linked at -O1 (the objects stay -O2): at -O2 emcc runs binaryen's wasm-opt -O2 over the whole
# module, 65-99 s per output on 2 cores and four outputs (planner.js, planner-web.mjs and the two
# generators), against 11.5 s for all four at -O1; a cold check through node is the same within
# the noise (docs/wasm.md).
add_link_options(-O1)

# A command-line program under node: real files through node's fs (NODERAWFS), exit status, and
# stdout flushed at exit (EXIT_RUNTIME). Compiled synchronously: node 18+ has a global fetch(),
# which emscripten 3.1.6's asynchronous loader would try on a file path and fail.
set(PLANNER_WASM_NODE_LINK -sNODERAWFS=1 -sEXIT_RUNTIME=1 -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0)

# The build-time generators (yaml_to_json, catalog_gen) are wasm too: emscripten's toolchain runs
# them through node (CMAKE_CROSSCOMPILING_EMULATOR), so the embedded data is made by the same code.
function(planner_wasm_node_tool target)
  target_link_options(${target} PRIVATE ${PLANNER_WASM_NODE_LINK})
endfunction()

# planner.js (node CLI) and planner-web.mjs (browser ES module) linked from one set of objects.
function(planner_wasm_executables cli_sources)
  planner_wasm_node_tool(yaml_to_json)
  planner_wasm_node_tool(catalog_gen)

  add_library(planner_cli OBJECT ${cli_sources})
  target_link_libraries(planner_cli PUBLIC planner_core)
  set_target_properties(planner_cli PROPERTIES UNITY_BUILD_BATCH_SIZE 0)  # one TU, as native planner

  set(node_pre "${CMAKE_SOURCE_DIR}/cmake/wasm/node-pre.js")
  add_executable(planner $<TARGET_OBJECTS:planner_cli> "${CMAKE_SOURCE_DIR}/cmake/wasm/node_process.cpp")
  target_link_libraries(planner PRIVATE planner_lib)
  target_link_options(planner PRIVATE ${PLANNER_WASM_NODE_LINK} "SHELL:--pre-js ${node_pre}")
  set_target_properties(planner PROPERTIES LINK_DEPENDS "${node_pre}")

  set(web_pre "${CMAKE_SOURCE_DIR}/cmake/wasm/web-pre.js")
  set(web_post "${CMAKE_SOURCE_DIR}/cmake/wasm/web-post.js")
  add_executable(planner_web $<TARGET_OBJECTS:planner_cli>)
  target_link_libraries(planner_web PRIVATE planner_lib)
  # The interface the playground (web/) is built against: docs/wasm.md. fflush for web-post.js,
  # sbrk for tests/wasm/web_test.mjs (the heap's top, to see that repeated calls leak nothing).
  target_link_options(planner_web PRIVATE -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createPlanner
    -sENVIRONMENT=web,worker -sINVOKE_RUN=0 -sEXIT_RUNTIME=0
    -sEXPORTED_RUNTIME_METHODS=callMain,FS -sEXPORTED_FUNCTIONS=_main,_fflush,_sbrk
    "SHELL:--pre-js ${web_pre}" "SHELL:--post-js ${web_post}")
  set_target_properties(planner_web PROPERTIES OUTPUT_NAME planner-web SUFFIX .mjs LINK_DEPENDS "${web_pre};${web_post}")
endfunction()
