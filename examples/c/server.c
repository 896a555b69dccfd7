/* server.c — the course's server2 in C: accept one client, write "hello\r\n",
 * read 10 bytes back and print them. Usage: server [port] (default 54321).
 * Binds 127.0.0.1 rather than INADDR_ANY so it never listens beyond this machine.
 * Build: cc -o server server.c */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 54321;

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd < 0) { perror("socket"); exit(1); }
    int on = 1;
    setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    struct sockaddr_in r;
    memset(&r, 0, sizeof r);
    r.sin_family = AF_INET;
    r.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r.sin_port = htons(port);
    if (bind(listenfd, (struct sockaddr *)&r, sizeof r) < 0) { perror("bind"); exit(1); }
    if (listen(listenfd, 5) < 0) { perror("listen"); exit(1); }
    printf("Waiting for a connection on port %d\n", port);
    fflush(stdout);

    int fd = accept(listenfd, NULL, NULL);
    if (fd < 0) { perror("accept"); exit(1); }
    write(fd, "hello\r\n", 7);

    char buf[10];
    int n = read(fd, buf, sizeof buf);
    if (n < 0) { perror("read"); exit(1); }
    buf[sizeof buf - 1] = '\0';  /* no room left for the terminator: the 10th byte is lost */
    printf("I read %s\n", buf);

    close(fd);
    close(listenfd);
    return 0;
}
