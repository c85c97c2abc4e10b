/* Runs a program with every signal at its default action and none blocked, as a shell would start it.
   The test runner (.NET) ignores SIGPIPE, and children inherit ignored signals across exec; native reference
   runs must not. Usage: sigdfl PROGRAM ARGS... (argv[0] of PROGRAM is PROGRAM). */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    sigset_t none;
    if (argc < 2) { fputs("usage: sigdfl PROGRAM ARGS...\n", stderr); return 127; }
    for (int s = 1; s < 65; s++) signal(s, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execv(argv[1], argv + 1);
    perror(argv[1]);
    return 127;
}
