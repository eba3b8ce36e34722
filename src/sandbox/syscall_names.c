// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86-64 system call names for the SIGSYS report (sigsys.c), from
 * libseccomp by gen_syscall_names.py: do not edit.  One string, and each
 * call's offset in it plus one (0: no such call) -- no pointer, so no
 * relocation and no page written at start-up.
 */
#include <stdint.h>

#include "sandbox/sandbox_internal.h"

#define MAX_NR	512

static const char names[] =
	"read\0" "write\0" "open\0" "close\0" "stat\0" "fstat\0" "lstat\0" "poll\0" "lseek\0"
	"mmap\0" "mprotect\0" "munmap\0" "brk\0" "rt_sigaction\0" "rt_sigprocmask\0"
	"rt_sigreturn\0" "ioctl\0" "pread64\0" "pwrite64\0" "readv\0" "writev\0" "access\0"
	"pipe\0" "select\0" "sched_yield\0" "mremap\0" "msync\0" "mincore\0" "madvise\0"
	"shmget\0" "shmat\0" "shmctl\0" "dup\0" "dup2\0" "pause\0" "nanosleep\0" "getitimer\0"
	"alarm\0" "setitimer\0" "getpid\0" "sendfile\0" "socket\0" "connect\0" "accept\0"
	"sendto\0" "recvfrom\0" "sendmsg\0" "recvmsg\0" "shutdown\0" "bind\0" "listen\0"
	"getsockname\0" "getpeername\0" "socketpair\0" "setsockopt\0" "getsockopt\0" "clone\0"
	"fork\0" "vfork\0" "execve\0" "exit\0" "wait4\0" "kill\0" "uname\0" "semget\0"
	"semop\0" "semctl\0" "shmdt\0" "msgget\0" "msgsnd\0" "msgrcv\0" "msgctl\0" "fcntl\0"
	"flock\0" "fsync\0" "fdatasync\0" "truncate\0" "ftruncate\0" "getdents\0" "getcwd\0"
	"chdir\0" "fchdir\0" "rename\0" "mkdir\0" "rmdir\0" "creat\0" "link\0" "unlink\0"
	"symlink\0" "readlink\0" "chmod\0" "fchmod\0" "chown\0" "fchown\0" "lchown\0" "umask\0"
	"gettimeofday\0" "getrlimit\0" "getrusage\0" "sysinfo\0" "times\0" "ptrace\0"
	"getuid\0" "syslog\0" "getgid\0" "setuid\0" "setgid\0" "geteuid\0" "getegid\0"
	"setpgid\0" "getppid\0" "getpgrp\0" "setsid\0" "setreuid\0" "setregid\0" "getgroups\0"
	"setgroups\0" "setresuid\0" "getresuid\0" "setresgid\0" "getresgid\0" "getpgid\0"
	"setfsuid\0" "setfsgid\0" "getsid\0" "capget\0" "capset\0" "rt_sigpending\0"
	"rt_sigtimedwait\0" "rt_sigqueueinfo\0" "rt_sigsuspend\0" "sigaltstack\0" "utime\0"
	"mknod\0" "uselib\0" "personality\0" "ustat\0" "statfs\0" "fstatfs\0" "sysfs\0"
	"getpriority\0" "setpriority\0" "sched_setparam\0" "sched_getparam\0"
	"sched_setscheduler\0" "sched_getscheduler\0" "sched_get_priority_max\0"
	"sched_get_priority_min\0" "sched_rr_get_interval\0" "mlock\0" "munlock\0" "mlockall\0"
	"munlockall\0" "vhangup\0" "modify_ldt\0" "pivot_root\0" "_sysctl\0" "prctl\0"
	"arch_prctl\0" "adjtimex\0" "setrlimit\0" "chroot\0" "sync\0" "acct\0" "settimeofday\0"
	"mount\0" "umount2\0" "swapon\0" "swapoff\0" "reboot\0" "sethostname\0"
	"setdomainname\0" "iopl\0" "ioperm\0" "create_module\0" "init_module\0"
	"delete_module\0" "get_kernel_syms\0" "query_module\0" "quotactl\0" "nfsservctl\0"
	"getpmsg\0" "putpmsg\0" "afs_syscall\0" "tuxcall\0" "security\0" "gettid\0"
	"readahead\0" "setxattr\0" "lsetxattr\0" "fsetxattr\0" "getxattr\0" "lgetxattr\0"
	"fgetxattr\0" "listxattr\0" "llistxattr\0" "flistxattr\0" "removexattr\0"
	"lremovexattr\0" "fremovexattr\0" "tkill\0" "time\0" "futex\0" "sched_setaffinity\0"
	"sched_getaffinity\0" "set_thread_area\0" "io_setup\0" "io_destroy\0" "io_getevents\0"
	"io_submit\0" "io_cancel\0" "get_thread_area\0" "lookup_dcookie\0" "epoll_create\0"
	"epoll_ctl_old\0" "epoll_wait_old\0" "remap_file_pages\0" "getdents64\0"
	"set_tid_address\0" "restart_syscall\0" "semtimedop\0" "fadvise64\0" "timer_create\0"
	"timer_settime\0" "timer_gettime\0" "timer_getoverrun\0" "timer_delete\0"
	"clock_settime\0" "clock_gettime\0" "clock_getres\0" "clock_nanosleep\0" "exit_group\0"
	"epoll_wait\0" "epoll_ctl\0" "tgkill\0" "utimes\0" "vserver\0" "mbind\0"
	"set_mempolicy\0" "get_mempolicy\0" "mq_open\0" "mq_unlink\0" "mq_timedsend\0"
	"mq_timedreceive\0" "mq_notify\0" "mq_getsetattr\0" "kexec_load\0" "waitid\0"
	"add_key\0" "request_key\0" "keyctl\0" "ioprio_set\0" "ioprio_get\0" "inotify_init\0"
	"inotify_add_watch\0" "inotify_rm_watch\0" "migrate_pages\0" "openat\0" "mkdirat\0"
	"mknodat\0" "fchownat\0" "futimesat\0" "newfstatat\0" "unlinkat\0" "renameat\0"
	"linkat\0" "symlinkat\0" "readlinkat\0" "fchmodat\0" "faccessat\0" "pselect6\0"
	"ppoll\0" "unshare\0" "set_robust_list\0" "get_robust_list\0" "splice\0" "tee\0"
	"sync_file_range\0" "vmsplice\0" "move_pages\0" "utimensat\0" "epoll_pwait\0"
	"signalfd\0" "timerfd_create\0" "eventfd\0" "fallocate\0" "timerfd_settime\0"
	"timerfd_gettime\0" "accept4\0" "signalfd4\0" "eventfd2\0" "epoll_create1\0" "dup3\0"
	"pipe2\0" "inotify_init1\0" "preadv\0" "pwritev\0" "rt_tgsigqueueinfo\0"
	"perf_event_open\0" "recvmmsg\0" "fanotify_init\0" "fanotify_mark\0" "prlimit64\0"
	"name_to_handle_at\0" "open_by_handle_at\0" "clock_adjtime\0" "syncfs\0" "sendmmsg\0"
	"setns\0" "getcpu\0" "process_vm_readv\0" "process_vm_writev\0" "kcmp\0"
	"finit_module\0" "sched_setattr\0" "sched_getattr\0" "renameat2\0" "seccomp\0"
	"getrandom\0" "memfd_create\0" "kexec_file_load\0" "bpf\0" "execveat\0" "userfaultfd\0"
	"membarrier\0" "mlock2\0" "copy_file_range\0" "preadv2\0" "pwritev2\0"
	"pkey_mprotect\0" "pkey_alloc\0" "pkey_free\0" "statx\0" "io_pgetevents\0" "rseq\0"
	"pidfd_send_signal\0" "io_uring_setup\0" "io_uring_enter\0" "io_uring_register\0"
	"open_tree\0" "move_mount\0" "fsopen\0" "fsconfig\0" "fsmount\0" "fspick\0"
	"pidfd_open\0" "clone3\0" "close_range\0" "openat2\0" "pidfd_getfd\0" "faccessat2\0"
	"process_madvise\0" "epoll_pwait2\0" "mount_setattr\0" "quotactl_fd\0"
	"landlock_create_ruleset\0" "landlock_add_rule\0" "landlock_restrict_self\0"
	"memfd_secret\0" "process_mrelease\0" "futex_waitv\0" "set_mempolicy_home_node\0"
	"cachestat\0" "fchmodat2\0" "map_shadow_stack\0" "futex_wake\0" "futex_wait\0"
	"futex_requeue\0";

static const uint16_t offsets[MAX_NR] = {
	[0] = 1,	/* read */
	[1] = 6,	/* write */
	[2] = 12,	/* open */
	[3] = 17,	/* close */
	[4] = 23,	/* stat */
	[5] = 28,	/* fstat */
	[6] = 34,	/* lstat */
	[7] = 40,	/* poll */
	[8] = 45,	/* lseek */
	[9] = 51,	/* mmap */
	[10] = 56,	/* mprotect */
	[11] = 65,	/* munmap */
	[12] = 72,	/* brk */
	[13] = 76,	/* rt_sigaction */
	[14] = 89,	/* rt_sigprocmask */
	[15] = 104,	/* rt_sigreturn */
	[16] = 117,	/* ioctl */
	[17] = 123,	/* pread64 */
	[18] = 131,	/* pwrite64 */
	[19] = 140,	/* readv */
	[20] = 146,	/* writev */
	[21] = 153,	/* access */
	[22] = 160,	/* pipe */
	[23] = 165,	/* select */
	[24] = 172,	/* sched_yield */
	[25] = 184,	/* mremap */
	[26] = 191,	/* msync */
	[27] = 197,	/* mincore */
	[28] = 205,	/* madvise */
	[29] = 213,	/* shmget */
	[30] = 220,	/* shmat */
	[31] = 226,	/* shmctl */
	[32] = 233,	/* dup */
	[33] = 237,	/* dup2 */
	[34] = 242,	/* pause */
	[35] = 248,	/* nanosleep */
	[36] = 258,	/* getitimer */
	[37] = 268,	/* alarm */
	[38] = 274,	/* setitimer */
	[39] = 284,	/* getpid */
	[40] = 291,	/* sendfile */
	[41] = 300,	/* socket */
	[42] = 307,	/* connect */
	[43] = 315,	/* accept */
	[44] = 322,	/* sendto */
	[45] = 329,	/* recvfrom */
	[46] = 338,	/* sendmsg */
	[47] = 346,	/* recvmsg */
	[48] = 354,	/* shutdown */
	[49] = 363,	/* bind */
	[50] = 368,	/* listen */
	[51] = 375,	/* getsockname */
	[52] = 387,	/* getpeername */
	[53] = 399,	/* socketpair */
	[54] = 410,	/* setsockopt */
	[55] = 421,	/* getsockopt */
	[56] = 432,	/* clone */
	[57] = 438,	/* fork */
	[58] = 443,	/* vfork */
	[59] = 449,	/* execve */
	[60] = 456,	/* exit */
	[61] = 461,	/* wait4 */
	[62] = 467,	/* kill */
	[63] = 472,	/* uname */
	[64] = 478,	/* semget */
	[65] = 485,	/* semop */
	[66] = 491,	/* semctl */
	[67] = 498,	/* shmdt */
	[68] = 504,	/* msgget */
	[69] = 511,	/* msgsnd */
	[70] = 518,	/* msgrcv */
	[71] = 525,	/* msgctl */
	[72] = 532,	/* fcntl */
	[73] = 538,	/* flock */
	[74] = 544,	/* fsync */
	[75] = 550,	/* fdatasync */
	[76] = 560,	/* truncate */
	[77] = 569,	/* ftruncate */
	[78] = 579,	/* getdents */
	[79] = 588,	/* getcwd */
	[80] = 595,	/* chdir */
	[81] = 601,	/* fchdir */
	[82] = 608,	/* rename */
	[83] = 615,	/* mkdir */
	[84] = 621,	/* rmdir */
	[85] = 627,	/* creat */
	[86] = 633,	/* link */
	[87] = 638,	/* unlink */
	[88] = 645,	/* symlink */
	[89] = 653,	/* readlink */
	[90] = 662,	/* chmod */
	[91] = 668,	/* fchmod */
	[92] = 675,	/* chown */
	[93] = 681,	/* fchown */
	[94] = 688,	/* lchown */
	[95] = 695,	/* umask */
	[96] = 701,	/* gettimeofday */
	[97] = 714,	/* getrlimit */
	[98] = 724,	/* getrusage */
	[99] = 734,	/* sysinfo */
	[100] = 742,	/* times */
	[101] = 748,	/* ptrace */
	[102] = 755,	/* getuid */
	[103] = 762,	/* syslog */
	[104] = 769,	/* getgid */
	[105] = 776,	/* setuid */
	[106] = 783,	/* setgid */
	[107] = 790,	/* geteuid */
	[108] = 798,	/* getegid */
	[109] = 806,	/* setpgid */
	[110] = 814,	/* getppid */
	[111] = 822,	/* getpgrp */
	[112] = 830,	/* setsid */
	[113] = 837,	/* setreuid */
	[114] = 846,	/* setregid */
	[115] = 855,	/* getgroups */
	[116] = 865,	/* setgroups */
	[117] = 875,	/* setresuid */
	[118] = 885,	/* getresuid */
	[119] = 895,	/* setresgid */
	[120] = 905,	/* getresgid */
	[121] = 915,	/* getpgid */
	[122] = 923,	/* setfsuid */
	[123] = 932,	/* setfsgid */
	[124] = 941,	/* getsid */
	[125] = 948,	/* capget */
	[126] = 955,	/* capset */
	[127] = 962,	/* rt_sigpending */
	[128] = 976,	/* rt_sigtimedwait */
	[129] = 992,	/* rt_sigqueueinfo */
	[130] = 1008,	/* rt_sigsuspend */
	[131] = 1022,	/* sigaltstack */
	[132] = 1034,	/* utime */
	[133] = 1040,	/* mknod */
	[134] = 1046,	/* uselib */
	[135] = 1053,	/* personality */
	[136] = 1065,	/* ustat */
	[137] = 1071,	/* statfs */
	[138] = 1078,	/* fstatfs */
	[139] = 1086,	/* sysfs */
	[140] = 1092,	/* getpriority */
	[141] = 1104,	/* setpriority */
	[142] = 1116,	/* sched_setparam */
	[143] = 1131,	/* sched_getparam */
	[144] = 1146,	/* sched_setscheduler */
	[145] = 1165,	/* sched_getscheduler */
	[146] = 1184,	/* sched_get_priority_max */
	[147] = 1207,	/* sched_get_priority_min */
	[148] = 1230,	/* sched_rr_get_interval */
	[149] = 1252,	/* mlock */
	[150] = 1258,	/* munlock */
	[151] = 1266,	/* mlockall */
	[152] = 1275,	/* munlockall */
	[153] = 1286,	/* vhangup */
	[154] = 1294,	/* modify_ldt */
	[155] = 1305,	/* pivot_root */
	[156] = 1316,	/* _sysctl */
	[157] = 1324,	/* prctl */
	[158] = 1330,	/* arch_prctl */
	[159] = 1341,	/* adjtimex */
	[160] = 1350,	/* setrlimit */
	[161] = 1360,	/* chroot */
	[162] = 1367,	/* sync */
	[163] = 1372,	/* acct */
	[164] = 1377,	/* settimeofday */
	[165] = 1390,	/* mount */
	[166] = 1396,	/* umount2 */
	[167] = 1404,	/* swapon */
	[168] = 1411,	/* swapoff */
	[169] = 1419,	/* reboot */
	[170] = 1426,	/* sethostname */
	[171] = 1438,	/* setdomainname */
	[172] = 1452,	/* iopl */
	[173] = 1457,	/* ioperm */
	[174] = 1464,	/* create_module */
	[175] = 1478,	/* init_module */
	[176] = 1490,	/* delete_module */
	[177] = 1504,	/* get_kernel_syms */
	[178] = 1520,	/* query_module */
	[179] = 1533,	/* quotactl */
	[180] = 1542,	/* nfsservctl */
	[181] = 1553,	/* getpmsg */
	[182] = 1561,	/* putpmsg */
	[183] = 1569,	/* afs_syscall */
	[184] = 1581,	/* tuxcall */
	[185] = 1589,	/* security */
	[186] = 1598,	/* gettid */
	[187] = 1605,	/* readahead */
	[188] = 1615,	/* setxattr */
	[189] = 1624,	/* lsetxattr */
	[190] = 1634,	/* fsetxattr */
	[191] = 1644,	/* getxattr */
	[192] = 1653,	/* lgetxattr */
	[193] = 1663,	/* fgetxattr */
	[194] = 1673,	/* listxattr */
	[195] = 1683,	/* llistxattr */
	[196] = 1694,	/* flistxattr */
	[197] = 1705,	/* removexattr */
	[198] = 1717,	/* lremovexattr */
	[199] = 1730,	/* fremovexattr */
	[200] = 1743,	/* tkill */
	[201] = 1749,	/* time */
	[202] = 1754,	/* futex */
	[203] = 1760,	/* sched_setaffinity */
	[204] = 1778,	/* sched_getaffinity */
	[205] = 1796,	/* set_thread_area */
	[206] = 1812,	/* io_setup */
	[207] = 1821,	/* io_destroy */
	[208] = 1832,	/* io_getevents */
	[209] = 1845,	/* io_submit */
	[210] = 1855,	/* io_cancel */
	[211] = 1865,	/* get_thread_area */
	[212] = 1881,	/* lookup_dcookie */
	[213] = 1896,	/* epoll_create */
	[214] = 1909,	/* epoll_ctl_old */
	[215] = 1923,	/* epoll_wait_old */
	[216] = 1938,	/* remap_file_pages */
	[217] = 1955,	/* getdents64 */
	[218] = 1966,	/* set_tid_address */
	[219] = 1982,	/* restart_syscall */
	[220] = 1998,	/* semtimedop */
	[221] = 2009,	/* fadvise64 */
	[222] = 2019,	/* timer_create */
	[223] = 2032,	/* timer_settime */
	[224] = 2046,	/* timer_gettime */
	[225] = 2060,	/* timer_getoverrun */
	[226] = 2077,	/* timer_delete */
	[227] = 2090,	/* clock_settime */
	[228] = 2104,	/* clock_gettime */
	[229] = 2118,	/* clock_getres */
	[230] = 2131,	/* clock_nanosleep */
	[231] = 2147,	/* exit_group */
	[232] = 2158,	/* epoll_wait */
	[233] = 2169,	/* epoll_ctl */
	[234] = 2179,	/* tgkill */
	[235] = 2186,	/* utimes */
	[236] = 2193,	/* vserver */
	[237] = 2201,	/* mbind */
	[238] = 2207,	/* set_mempolicy */
	[239] = 2221,	/* get_mempolicy */
	[240] = 2235,	/* mq_open */
	[241] = 2243,	/* mq_unlink */
	[242] = 2253,	/* mq_timedsend */
	[243] = 2266,	/* mq_timedreceive */
	[244] = 2282,	/* mq_notify */
	[245] = 2292,	/* mq_getsetattr */
	[246] = 2306,	/* kexec_load */
	[247] = 2317,	/* waitid */
	[248] = 2324,	/* add_key */
	[249] = 2332,	/* request_key */
	[250] = 2344,	/* keyctl */
	[251] = 2351,	/* ioprio_set */
	[252] = 2362,	/* ioprio_get */
	[253] = 2373,	/* inotify_init */
	[254] = 2386,	/* inotify_add_watch */
	[255] = 2404,	/* inotify_rm_watch */
	[256] = 2421,	/* migrate_pages */
	[257] = 2435,	/* openat */
	[258] = 2442,	/* mkdirat */
	[259] = 2450,	/* mknodat */
	[260] = 2458,	/* fchownat */
	[261] = 2467,	/* futimesat */
	[262] = 2477,	/* newfstatat */
	[263] = 2488,	/* unlinkat */
	[264] = 2497,	/* renameat */
	[265] = 2506,	/* linkat */
	[266] = 2513,	/* symlinkat */
	[267] = 2523,	/* readlinkat */
	[268] = 2534,	/* fchmodat */
	[269] = 2543,	/* faccessat */
	[270] = 2553,	/* pselect6 */
	[271] = 2562,	/* ppoll */
	[272] = 2568,	/* unshare */
	[273] = 2576,	/* set_robust_list */
	[274] = 2592,	/* get_robust_list */
	[275] = 2608,	/* splice */
	[276] = 2615,	/* tee */
	[277] = 2619,	/* sync_file_range */
	[278] = 2635,	/* vmsplice */
	[279] = 2644,	/* move_pages */
	[280] = 2655,	/* utimensat */
	[281] = 2665,	/* epoll_pwait */
	[282] = 2677,	/* signalfd */
	[283] = 2686,	/* timerfd_create */
	[284] = 2701,	/* eventfd */
	[285] = 2709,	/* fallocate */
	[286] = 2719,	/* timerfd_settime */
	[287] = 2735,	/* timerfd_gettime */
	[288] = 2751,	/* accept4 */
	[289] = 2759,	/* signalfd4 */
	[290] = 2769,	/* eventfd2 */
	[291] = 2778,	/* epoll_create1 */
	[292] = 2792,	/* dup3 */
	[293] = 2797,	/* pipe2 */
	[294] = 2803,	/* inotify_init1 */
	[295] = 2817,	/* preadv */
	[296] = 2824,	/* pwritev */
	[297] = 2832,	/* rt_tgsigqueueinfo */
	[298] = 2850,	/* perf_event_open */
	[299] = 2866,	/* recvmmsg */
	[300] = 2875,	/* fanotify_init */
	[301] = 2889,	/* fanotify_mark */
	[302] = 2903,	/* prlimit64 */
	[303] = 2913,	/* name_to_handle_at */
	[304] = 2931,	/* open_by_handle_at */
	[305] = 2949,	/* clock_adjtime */
	[306] = 2963,	/* syncfs */
	[307] = 2970,	/* sendmmsg */
	[308] = 2979,	/* setns */
	[309] = 2985,	/* getcpu */
	[310] = 2992,	/* process_vm_readv */
	[311] = 3009,	/* process_vm_writev */
	[312] = 3027,	/* kcmp */
	[313] = 3032,	/* finit_module */
	[314] = 3045,	/* sched_setattr */
	[315] = 3059,	/* sched_getattr */
	[316] = 3073,	/* renameat2 */
	[317] = 3083,	/* seccomp */
	[318] = 3091,	/* getrandom */
	[319] = 3101,	/* memfd_create */
	[320] = 3114,	/* kexec_file_load */
	[321] = 3130,	/* bpf */
	[322] = 3134,	/* execveat */
	[323] = 3143,	/* userfaultfd */
	[324] = 3155,	/* membarrier */
	[325] = 3166,	/* mlock2 */
	[326] = 3173,	/* copy_file_range */
	[327] = 3189,	/* preadv2 */
	[328] = 3197,	/* pwritev2 */
	[329] = 3206,	/* pkey_mprotect */
	[330] = 3220,	/* pkey_alloc */
	[331] = 3231,	/* pkey_free */
	[332] = 3241,	/* statx */
	[333] = 3247,	/* io_pgetevents */
	[334] = 3261,	/* rseq */
	[424] = 3266,	/* pidfd_send_signal */
	[425] = 3284,	/* io_uring_setup */
	[426] = 3299,	/* io_uring_enter */
	[427] = 3314,	/* io_uring_register */
	[428] = 3332,	/* open_tree */
	[429] = 3342,	/* move_mount */
	[430] = 3353,	/* fsopen */
	[431] = 3360,	/* fsconfig */
	[432] = 3369,	/* fsmount */
	[433] = 3377,	/* fspick */
	[434] = 3384,	/* pidfd_open */
	[435] = 3395,	/* clone3 */
	[436] = 3402,	/* close_range */
	[437] = 3414,	/* openat2 */
	[438] = 3422,	/* pidfd_getfd */
	[439] = 3434,	/* faccessat2 */
	[440] = 3445,	/* process_madvise */
	[441] = 3461,	/* epoll_pwait2 */
	[442] = 3474,	/* mount_setattr */
	[443] = 3488,	/* quotactl_fd */
	[444] = 3500,	/* landlock_create_ruleset */
	[445] = 3524,	/* landlock_add_rule */
	[446] = 3542,	/* landlock_restrict_self */
	[447] = 3565,	/* memfd_secret */
	[448] = 3578,	/* process_mrelease */
	[449] = 3595,	/* futex_waitv */
	[450] = 3607,	/* set_mempolicy_home_node */
	[451] = 3631,	/* cachestat */
	[452] = 3641,	/* fchmodat2 */
	[453] = 3651,	/* map_shadow_stack */
	[454] = 3668,	/* futex_wake */
	[455] = 3679,	/* futex_wait */
	[456] = 3690,	/* futex_requeue */
};

const char *sandbox_syscall_name(int nr)
{
	if (nr < 0 || nr >= MAX_NR || !offsets[nr])
		return NULL;
	return names + offsets[nr] - 1;
}
