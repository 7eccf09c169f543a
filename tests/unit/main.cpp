#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
  // Routes look their names up in this machine's model stores (resolve/local_model.h): point the
  // stores at nothing, so that a developer's downloads cannot change what a test resolves. The
  // store tests (local_stores_test.cpp) set these to the stores they build.
  setenv("HF_HUB_CACHE", "/nonexistent/planner-tests/hub", 1);
  setenv("OLLAMA_MODELS", "/nonexistent/planner-tests/ollama", 1);
  setenv("HOME", "/nonexistent/planner-tests/home", 1);  // LM Studio's home and pointer file
  return Catch::Session().run(argc, argv);
}
