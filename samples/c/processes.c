/* Processes: fork, vfork, execve of /proc/self/exe, wait statuses (exit codes and signals), process groups. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int status)
{
    if (WIFEXITED(status)) printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) printf("%s: killed by %d\n", what, WTERMSIG(status));
    else printf("%s: status 0x%x\n", what, status);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        printf("re-executed with %s\n", argv[1]);
        return atoi(argv[1]);
    }
    pid_t me = getpid();
    int status;
    pid_t c = fork();
    if (c == 0) {
        printf("child: parent matches=%d\n", getppid() == me);
        _exit(7);
    }
    printf("waitpid returned the child: %d\n", waitpid(c, &status, 0) == c);
    report("fork child", status);

    c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    kill(c, SIGTERM);
    waitpid(c, &status, 0);
    report("killed child", status);

    c = fork();
    if (c == 0) {
        abort();
    }
    waitpid(c, &status, 0);
    report("aborted child", status);

    volatile int shared = 1;
    c = vfork();
    if (c == 0) {
        shared = 2;
        _exit(3);
    }
    waitpid(c, &status, 0);
    report("vfork child", status);
    printf("vfork shared memory: %d\n", shared);

    c = fork();
    if (c == 0) {
        char *args[] = { argv[0], "42", NULL };
        execv("/proc/self/exe", args);
        perror("execv");
        _exit(127);
    }
    waitpid(c, &status, 0);
    report("exec child", status);

    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        printf("child group is itself: %d\n", getpgrp() == getpid());
        _exit(0);
    }
    waitpid(c, &status, 0);
    printf("no more children: %d\n", waitpid(-1, &status, WNOHANG) == -1);

    int pipefd[2];
    pipe(pipefd);
    for (int i = 0; i < 5; i++) {
        if (fork() == 0) {
            char b = (char)('a' + i);
            write(pipefd[1], &b, 1);
            _exit(i);
        }
    }
    close(pipefd[1]);
    int sum = 0;
    for (int i = 0; i < 5; i++) {
        wait(&status);
        sum += WEXITSTATUS(status);
    }
    char buf[8];
    int n = read(pipefd[0], buf, sizeof buf);
    printf("five children: exit sum %d, %d bytes\n", sum, n);
    return 0;
}
