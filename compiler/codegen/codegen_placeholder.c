/* placeholder */ typedef int tc_codegen_placeholder;
