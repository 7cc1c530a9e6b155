/* placeholder */ typedef int tc_target_placeholder;
