/* Signals: handlers with and without SA_SIGINFO, masks, pending signals, faults turned into signals,
   alarm + pause, sigsuspend, ignored SIGPIPE. Output is deterministic; kml must print exactly what Linux does. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static sigjmp_buf jump;

static void on_info(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    got = sig;
    printf("handler: sig=%d code_is_user=%d pid_matches=%d\n", info->si_signo, info->si_code == SI_USER || info->si_code == SI_TKILL, info->si_pid == getpid());
}

static void on_plain(int sig) { got = sig; }

static void on_fault(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    printf("fault: sig=%d addr_is_null=%d\n", sig, info->si_addr == NULL);
    siglongjmp(jump, sig);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    kill(getpid(), SIGUSR1);
    printf("after kill: got=%d\n", got);

    signal(SIGUSR2, on_plain);
    sigset_t block, old, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old);
    got = 0;
    raise(SIGUSR2);
    sigpending(&pending);
    printf("blocked: got=%d pending=%d\n", got, sigismember(&pending, SIGUSR2));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: got=%d\n", got);

    struct sigaction fa;
    memset(&fa, 0, sizeof fa);
    fa.sa_sigaction = on_fault;
    fa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &fa, NULL);
    sigaction(SIGFPE, &fa, NULL);
    if (sigsetjmp(jump, 1) == 0) {
        volatile int *p = NULL;
        *p = 1;
    }
    printf("back from SIGSEGV\n");
    if (sigsetjmp(jump, 1) == 0) {
        volatile int zero = 0;
        printf("%d\n", 10 / zero);
    }
    printf("back from SIGFPE\n");

    signal(SIGALRM, on_plain);
    got = 0;
    alarm(1);
    pause();
    printf("pause returned: got=%d errno_eintr=%d\n", got, errno == EINTR);

    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR2);
    got = 0;
    sigset_t wait;
    sigemptyset(&wait);
    int r = sigsuspend(&wait);
    printf("sigsuspend: r=%d got=%d\n", r, got);

    signal(SIGPIPE, SIG_IGN);
    int fds[2];
    pipe(fds);
    close(fds[0]);
    errno = 0;
    ssize_t w = write(fds[1], "x", 1);
    printf("write to a closed pipe: %zd epipe=%d\n", w, errno == EPIPE);
    return 0;
}
