# ldaformer sample and ldaformer sweep: the same results.csv for any --jobs, under mpirun, and after a
# stop or a SIGKILL and --resume; bad paths and values refused before any work.
if(LDAFORMER_BUILD_TOOLS)
  set(sweeps ${CMAKE_CURRENT_BINARY_DIR}/sweeps)
  set(small ${data}/small.yaml)
  set(same_csv ${CMAKE_CURRENT_SOURCE_DIR}/check_sweep_same.cmake)
  # One path with two bisection rounds (T2-CE changes sign near leak 0.75 on this scenario), and a 2-D grid.
  set(sweep_1d sweep --scenario ${small} --set topics.kind=blurred --vary topics.leak=0:0.9:4 --refine 2
               --claims T1 T2 --quiet --no-plots)
  set(sweep_2d sweep --scenario ${small} --set topics.kind=blurred --vary masking.p_m=0.1,0.3 --vary topics.leak=0,0.5,0.9
               --claims T2 --quiet)
  set(mpirun_flags)
  if(LDAFORMER_WITH_MPI)
    find_program(MPIEXEC_PROGRAM NAMES mpirun mpiexec REQUIRED)
    # Open MPI refuses root unless told (CI runs as root) and 2 ranks may exceed the cores it sees.
    set(mpirun_flags ${MPIEXEC_PROGRAM} --allow-run-as-root --oversubscribe -np 2)
  endif()
  foreach(shape 1d 2d)
    set(dir ${sweeps}/${shape})
    add_test(NAME cli:sweep-${shape}-clean COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir})
    set_tests_properties(cli:sweep-${shape}-clean PROPERTIES FIXTURES_SETUP sweep_${shape}_clean LABELS "verify;cli;sweep")
    ldaformer_cli_test(sweep-${shape}-jobs1 EXIT 0 ARGS ${sweep_${shape}} --jobs 1 --out ${dir}/jobs1
                       STDOUT "points \\([0-9]+ new\\), results in")
    ldaformer_cli_test(sweep-${shape}-jobs2 EXIT 0 ARGS ${sweep_${shape}} --jobs 2 --out ${dir}/jobs2
                       STDOUT "points \\([0-9]+ new\\), results in")
    set(runs jobs1 jobs2)
    if(LDAFORMER_WITH_MPI)
      add_test(NAME cli:sweep-${shape}-mpi COMMAND ${mpirun_flags} $<TARGET_FILE:ldaformer> ${sweep_${shape}} --jobs 1
               --out ${dir}/mpi)
      list(APPEND runs mpi)
    endif()
    foreach(run IN LISTS runs)
      set_tests_properties(cli:sweep-${shape}-${run} PROPERTIES FIXTURES_SETUP sweep_${shape}_${run}
                           FIXTURES_REQUIRED sweep_${shape}_clean LABELS "verify;cli;sweep")
    endforeach()
    # Stopped after 3 points, then resumed.
    ldaformer_cli_test(sweep-${shape}-stop EXIT 0 ARGS ${sweep_${shape}} --max-points 3 --out ${dir}/resumed
                       STDOUT "3 points \\(3 new, stopped early: --resume continues\\)")
    ldaformer_cli_test(sweep-${shape}-resume EXIT 0 ARGS ${sweep_${shape}} --resume --out ${dir}/resumed
                       STDOUT "points \\([0-9]+ new\\), results in")
    set_tests_properties(cli:sweep-${shape}-stop PROPERTIES FIXTURES_SETUP sweep_${shape}_stop
                         FIXTURES_REQUIRED sweep_${shape}_clean LABELS "verify;cli;sweep")
    set_tests_properties(cli:sweep-${shape}-resume PROPERTIES FIXTURES_SETUP sweep_${shape}_resumed
                         FIXTURES_REQUIRED "sweep_${shape}_clean;sweep_${shape}_stop" LABELS "verify;cli;sweep")
    list(REMOVE_ITEM runs jobs1)
    list(APPEND runs resumed)
    foreach(run IN LISTS runs)
      add_test(NAME cli:sweep-${shape}-same-${run}
               COMMAND ${CMAKE_COMMAND} -DFIRST=${dir}/jobs1 -DSECOND=${dir}/${run} -P ${same_csv})
      set_tests_properties(cli:sweep-${shape}-same-${run} PROPERTIES LABELS "verify;cli;sweep"
                           FIXTURES_REQUIRED "sweep_${shape}_jobs1;sweep_${shape}_${run}")
    endforeach()
  endforeach()
  # The 2-D grid: a header and 6 points x 2 T2 results; a map per result.
  add_test(NAME cli:sweep-2d-rows COMMAND ${CMAKE_COMMAND} -DFIRST=${sweeps}/2d/jobs1 -DSECOND=${sweeps}/2d/jobs1 -DROWS=13
           -P ${same_csv})
  add_test(NAME cli:sweep-2d-map COMMAND ${CMAKE_COMMAND} -E sha256sum ${sweeps}/2d/jobs1/map-T2.png)
  set_tests_properties(cli:sweep-2d-rows cli:sweep-2d-map PROPERTIES LABELS "verify;cli;sweep" FIXTURES_REQUIRED sweep_2d_jobs1)

  # SIGKILL at two moments, then --resume (T3: points of a few seconds, so the kill lands inside one).
  add_test(NAME cli:sweep-kill-resume COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/sweep_kill_resume.sh $<TARGET_FILE:ldaformer>
           ${small} ${sweeps}/kill)
  set_tests_properties(cli:sweep-kill-resume PROPERTIES LABELS "verify;cli;sweep;slow" TIMEOUT 600)

  # Refused before any work, naming the path and the value.
  ldaformer_cli_test(sweep-unknown-path EXIT 2 ARGS sweep --scenario ${small} --vary topics.leek=0,0.5 --out ${sweeps}/bad
                     STDERR "--set topics.leek=0: topics: unknown key 'leek'")
  ldaformer_cli_test(sweep-value-out-of-range EXIT 2 ARGS sweep --scenario ${small} --vary masking.p_c=0:1.5:4 --out ${sweeps}/bad
                     STDERR "--set masking.p_c=1: masking.p_c \\+ masking.p_r must be <= 1")
  ldaformer_cli_test(sweep-bad-spec EXIT 2 ARGS sweep --vary masking.p_c=0:1 --out ${sweeps}/bad
                     STDERR "--vary masking.p_c=0:1: a range is FIRST:LAST:COUNT")
  ldaformer_cli_test(sweep-bad-jobs EXIT 2 ARGS sweep --scenario ${small} --vary masking.p_c=0,0.1 --jobs 0 --out ${sweeps}/bad
                     STDERR "--jobs must be >= 1, got 0")
  ldaformer_cli_test(sweep-out-exists EXIT 2 ARGS ${sweep_1d} --out ${sweeps}/1d/jobs1
                     STDERR "already holds a sweep: add --resume")
  ldaformer_cli_test(sweep-resume-other-plan EXIT 2 ARGS sweep --scenario ${small} --set topics.kind=blurred
                     --vary topics.leak=0:0.9:5 --refine 2 --claims T1 T2 --resume --out ${sweeps}/1d/jobs1
                     STDERR "the stored sweep has a different varied")
  set_tests_properties(cli:sweep-out-exists cli:sweep-resume-other-plan PROPERTIES FIXTURES_REQUIRED sweep_1d_jobs1)
  foreach(name unknown-path value-out-of-range bad-spec bad-jobs out-exists resume-other-plan)
    set_tests_properties(cli:sweep-${name} PROPERTIES LABELS "verify;cli;sweep")
  endforeach()
  # Nothing was written for a refused sweep.
  add_test(NAME cli:sweep-refused-writes-nothing COMMAND sh -c "! test -e ${sweeps}/bad")
  set_tests_properties(cli:sweep-refused-writes-nothing PROPERTIES LABELS "verify;cli;sweep" DEPENDS
                       "cli:sweep-unknown-path;cli:sweep-value-out-of-range;cli:sweep-bad-spec;cli:sweep-bad-jobs")

  # --set on the other subcommands: validated like the file.
  ldaformer_cli_test(set-loss EXIT 0 ARGS loss --scenario ${small} --set masking.p_c=0 --set prior.alpha=[0.2,0.3,0.4] --json
                     STDOUT "\"loss\": [0-9]")
  ldaformer_cli_test(set-bad-value EXIT 2 ARGS loss --scenario ${small} --set masking.p_m=2
                     STDERR "small.yaml --set masking.p_m=2: masking.p_m")
  ldaformer_cli_test(set-malformed EXIT 2 ARGS verify --set masking.p_m STDERR "--set must be PATH=VALUE")
  ldaformer_cli_test(set-verify-lambda EXIT 0 ARGS verify --scenario ${small} --claims T2 --set verify.lambda=1e-2 --json
                     STDOUT "\"lambda\": 0.01")
  ldaformer_cli_test(set-train-steps EXIT 0 ARGS train --scenario ${small} --set training.steps=3 --docs 20 --heldout 10
                     --out ${CMAKE_CURRENT_BINARY_DIR}/set-train STDOUT "training completed: 3 steps")
  # sample: read back by assumptions, the Dirichlet alpha (0.5 in small.yaml) is recovered within 10%.
  add_test(NAME cli:sample-recovers-alpha
           COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:ldaformer> -DSCENARIO=${small} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/sample
                   -DALPHA_LOW=0.45 -DALPHA_HIGH=0.55 -P ${CMAKE_CURRENT_SOURCE_DIR}/check_sample_alpha.cmake)
  # Negative control: a scenario with alpha 2 is not within 10% of 0.5.
  add_test(NAME cli:sample-alpha-control
           COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:ldaformer> -DSCENARIO=${small} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/sample-control
                   -DALPHA_LOW=0.45 -DALPHA_HIGH=0.55 -DSET=prior.alpha=2 -P ${CMAKE_CURRENT_SOURCE_DIR}/check_sample_alpha.cmake)
  set_tests_properties(cli:sample-alpha-control PROPERTIES WILL_FAIL TRUE)
  ldaformer_cli_test(sample-bad-documents EXIT 2 ARGS sample --documents 0 --out ${CMAKE_CURRENT_BINARY_DIR}/s0.txt
                     STDERR "--documents must be >= 1, got 0")
  foreach(name set-loss set-bad-value set-malformed set-verify-lambda set-train-steps sample-recovers-alpha
          sample-alpha-control sample-bad-documents)
    set_tests_properties(cli:${name} PROPERTIES LABELS "verify;cli;sweep")
  endforeach()
endif()

# --skip-invalid: the corner p_c + p_r > 1 of a grid is recorded as invalid, the rest runs.
if(LDAFORMER_BUILD_TOOLS)
  set(skip_dir ${CMAKE_CURRENT_BINARY_DIR}/sweeps/skip-invalid)
  add_test(NAME cli:sweep-skip-invalid
           COMMAND sh -c "rm -rf '${skip_dir}' && '$<TARGET_FILE:ldaformer>' sweep --scenario '${data}/small.yaml' --vary masking.p_c=0.1,0.9 --vary masking.p_r=0.05,0.9 --claims T2 --skip-invalid --quiet --out '${skip_dir}' && grep -q '^0.9,0.9,invalid,-,,,invalid,.*masking.p_c + masking.p_r must be <= 1' '${skip_dir}/results.csv' && grep -c ',holds,' '${skip_dir}/results.csv' | grep -q '^6$'")
  set_tests_properties(cli:sweep-skip-invalid PROPERTIES LABELS "verify;cli;sweep")
endif()

# The paper scenario under blur: T2's margin falls towards 0 over 10 points.
if(LDAFORMER_BUILD_TOOLS)
  add_test(NAME cli:sweep-paper-blur-T2
           COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:ldaformer> -DSCENARIO=${PROJECT_SOURCE_DIR}/verify/scenarios/paper-synthetic.yaml
                   -DOUT=${CMAKE_CURRENT_BINARY_DIR}/sweeps/paper-blur -P ${CMAKE_CURRENT_SOURCE_DIR}/check_blur_sweep.cmake)
  set_tests_properties(cli:sweep-paper-blur-T2 PROPERTIES LABELS "verify;cli;sweep;T2;slow" TIMEOUT 600)
endif()
