/* TCP over the loopback bridge: a server and a forked client in the same program, poll on a listening socket,
   socket options and names, shutdown, and the socketcall(2) multiplexer beside the direct socket calls. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/net.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    printf("setsockopt: %d\n", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int bound = bind(s, (struct sockaddr *)&a, sizeof a);
    int listening = listen(s, 4);
    printf("bind: %d listen: %d\n", bound, listening);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    printf("bound to loopback with a port: %d %d\n", a.sin_addr.s_addr == htonl(INADDR_LOOPBACK), ntohs(a.sin_port) != 0);
    struct pollfd pf = { .fd = s, .events = POLLIN };
    printf("nothing to accept yet: %d\n", poll(&pf, 1, 0));

    pid_t child = fork();
    if (child == 0) {
        close(s);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); _exit(1); }
        int nodelay = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay);
        send(c, "hello server", 12, 0);
        shutdown(c, SHUT_WR);
        char buf[64] = { 0 };
        int n = 0, r;
        while ((r = recv(c, buf + n, sizeof buf - 1 - n, 0)) > 0) n += r;
        printf("client got: %s\n", buf);
        close(c);
        _exit(0);
    }
    printf("a connection is ready: %d\n", poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN));
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int c = accept(s, (struct sockaddr *)&peer, &plen);
    if (c < 0) { perror("accept"); return 1; }
    printf("accepted from loopback: %d\n", c >= 0 && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    char buf[64] = { 0 };
    int n = 0, r;
    while ((r = read(c, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    printf("server got: %s (then EOF %d)\n", buf, r);
    write(c, "hello client", 12);
    close(c);
    int status;
    waitpid(child, &status, 0);
    printf("client exited: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    int type = 0;
    socklen_t tl = sizeof type;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &tl);
    printf("SO_TYPE stream: %d\n", type == SOCK_STREAM);
    close(s);

    unsigned long args[3] = { AF_INET, SOCK_STREAM, 0 };
    long via = syscall(SYS_socketcall, SYS_SOCKET, args);
    printf("socketcall(SYS_SOCKET): %d\n", via >= 0);
    errno = 0;
    unsigned long bad[3] = { 12345, SOCK_STREAM, 0 };
    long failed = syscall(SYS_socketcall, SYS_SOCKET, bad);
    printf("unknown family: %ld EAFNOSUPPORT %d\n", failed, errno == EAFNOSUPPORT);
    close((int)via);
    return 0;
}
