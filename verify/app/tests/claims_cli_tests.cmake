# ldaformer verify --json on the four status cases of a claim result: the status and reason spelled by
# theory::NameOf, the reason text with its particulars, and the exit code (1 iff a result counts against).
# Keys are matched one per test where their order in the JSON is not fixed, and no regex holds a ";"
# (cmake_parse_arguments would split it).
if(LDAFORMER_BUILD_TOOLS)
  set(number "-?[0-9][0-9.e+-]*")
  ldaformer_cli_test(claims-lambda-100-status EXIT 1 ARGS verify --scenario ${data}/claims-lambda-100.yaml --json
                     STDOUT "\"status\": \"unverified\"")
  ldaformer_cli_test(claims-lambda-100-reason EXIT 1 ARGS verify --scenario ${data}/claims-lambda-100.yaml --json
                     STDOUT "\"reason\": \"cross-check out of tolerance\",.*\"reason_text\": \"cross-check out of tolerance: gradient flow vs closed form ${number} > 1e-06\"")
  ldaformer_cli_test(claims-asymmetric-alpha EXIT 0 ARGS verify --scenario ${data}/claims-asymmetric-alpha.yaml --json
                     STDOUT "\"reason_text\": \"hypothesis not met: exchangeable prior [^\"]*block residual ${number} > 1e-08")
  ldaformer_cli_test(claims-asymmetric-alpha-status EXIT 0 ARGS verify --scenario ${data}/claims-asymmetric-alpha.yaml --json
                     STDOUT "\"status\": \"not applicable\"")
  ldaformer_cli_test(claims-subset-k1-n1 EXIT 0 ARGS verify --scenario ${data}/claims-subset-k1-n1.yaml --json
                     STDOUT "\"reason_text\": \"hypothesis not met: [^\"]*at least two positions per document \\(smallest N = 1\\)")
  ldaformer_cli_test(claims-subset-k1 EXIT 0 ARGS verify --scenario ${data}/claims-subset-k1.yaml --json
                     STDOUT "\"id\": \"T3\",.*\"reason_text\": \"hypothesis not met: documents mix two topics \\(uniform subset of k = 1 topics\\)")
  ldaformer_cli_test(claims-n1-table EXIT 0 ARGS verify --scenario ${data}/claims-n1.yaml
                     STDOUT "10 results: 0 held, 0 failed, 0 inconclusive, 0 unverified, 10 not applicable")
  ldaformer_cli_test(claims-blurred-reason EXIT 0 ARGS verify --scenario ${data}/claims-blurred.yaml --json
                     STDOUT "\"reason_text\": \"hypothesis not met: A1 topics [^\"]*the numbers: inconclusive, within sampling error: ")
  ldaformer_cli_test(claims-blurred-standard-error EXIT 0 ARGS verify --scenario ${data}/claims-blurred.yaml --json
                     STDOUT "\"standard_error\": [0-9]")
  set_tests_properties(cli:claims-lambda-100-status cli:claims-lambda-100-reason cli:claims-asymmetric-alpha
                       cli:claims-asymmetric-alpha-status cli:claims-subset-k1-n1 cli:claims-subset-k1 cli:claims-n1-table cli:claims-blurred-reason
                       cli:claims-blurred-standard-error PROPERTIES LABELS "verify;cli;claims")
endif()
