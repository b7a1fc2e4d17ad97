package hmmtest.console;

/** What kind of kernel report a crash is; the corpus {@code TYPE:} header uses these names. */
public enum CrashKind {
    /** {@code BUG: kernel NULL pointer dereference}. */
    NULL_DEREF,
    /** {@code BUG: unable to handle page fault for address}. */
    PAGE_FAULT,
    /** {@code general protection fault}. */
    GPF,
    /** {@code kernel BUG at file:line!}. */
    KERNEL_BUG,
    /** An {@code Oops:} whose cause line was not printed or was lost. */
    OOPS,
    /** {@code WARNING:} from WARN_ON() and friends. */
    WARNING,
    /** {@code INFO: task NAME:PID blocked for more than N seconds}. */
    HUNG_TASK,
    /** {@code watchdog: BUG: soft lockup}. */
    SOFT_LOCKUP,
    /** {@code rcu: INFO: rcu_preempt detected stalls}. */
    RCU_STALL,
    /** {@code BUG: KASAN:}. */
    KASAN,
    /** {@code list_add corruption} / {@code list_del corruption} from lib/list_debug.c. */
    LIST_CORRUPTION,
    /** {@code BUG: Bad page state} and other mm state checks. */
    BAD_PAGE,
    /** {@code BUG: sleeping function called from invalid context}. */
    SLEEP_IN_ATOMIC,
    /** {@code BUG: scheduling while atomic}. */
    SCHED_WHILE_ATOMIC,
    /** Lockdep: circular/recursive locking, inconsistent lock state. */
    LOCKDEP,
    /** {@code Kernel panic - not syncing} with no earlier report that explains it. */
    PANIC
}
