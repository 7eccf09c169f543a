# Writes the man page and the shell completions that planner generates from its own parser.
#   cmake -DPLANNER=path/to/planner -DOUT=dir -P generate_docs.cmake
file(MAKE_DIRECTORY "${OUT}")
foreach(job "man;planner.1" "completion;bash;planner.bash" "completion;zsh;_planner" "completion;fish;planner.fish")
  list(POP_BACK job file)
  execute_process(COMMAND "${PLANNER}" ${job} OUTPUT_FILE "${OUT}/${file}.tmp" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "planner ${job} failed (${rc})")
  endif()
  file(RENAME "${OUT}/${file}.tmp" "${OUT}/${file}")
endforeach()
# The installed man page is compressed without a name or a time stamp (reproducible; lintian).
execute_process(COMMAND gzip -9nkf "${OUT}/planner.1" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip of the man page failed (${rc})")
endif()
