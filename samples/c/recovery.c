/* The recovery log's test: a child takes a listening TCP port and a write lock on a file, then waits; its parent kills
 * it with SIGKILL and at once binds the same port (no SO_REUSEADDR) and takes the same lock without waiting. Both
 * succeed only if the kernel released everything the killed process held (at protection levels 1 to 3 by undoing its
 * recovery log). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int lock_file(int fd)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    return fcntl(fd, F_SETLK, &fl);
}

static int listen_on(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 4) != 0) return -1;
    return s;
}

int main(void)
{
    int fd = open("locked.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "data\n", 5) != 5) { perror("locked.dat"); return 1; }
    close(fd);
    int ready[2];
    if (pipe(ready) != 0) { perror("pipe"); return 1; }
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        int s = listen_on(0);
        struct sockaddr_in a;
        socklen_t len = sizeof a;
        int lf = open("locked.dat", O_RDWR);
        if (s < 0 || getsockname(s, (struct sockaddr *)&a, &len) != 0 || lf < 0 || lock_file(lf) != 0) _exit(3);
        int port = ntohs(a.sin_port);
        if (write(ready[1], &port, sizeof port) != sizeof port) _exit(4);
        for (;;) pause();
    }
    close(ready[1]);
    int port = 0;
    if (read(ready[0], &port, sizeof port) != sizeof port) { printf("the child failed\n"); return 1; }
    printf("child holds a listening port and a write lock\n");

    /* While the child lives, both are taken. */
    int busy = listen_on(port);
    printf("port while the child lives: %s\n", busy < 0 && errno == EADDRINUSE ? "in use" : "free?!");
    int lf = open("locked.dat", O_RDWR);
    printf("lock while the child lives: %s\n", lock_file(lf) != 0 && (errno == EAGAIN || errno == EACCES) ? "held" : "free?!");

    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    printf("child killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);

    /* At once: no retry, no sleep. */
    int s = listen_on(port);
    printf("port after the kill: %s\n", s >= 0 ? "bound again" : strerror(errno));
    printf("lock after the kill: %s\n", lock_file(lf) == 0 ? "taken" : strerror(errno));
    close(s);
    close(lf);
    unlink("locked.dat");
    return 0;
}
