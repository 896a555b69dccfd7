/* client.c — the course's client2 in C: getaddrinfo, connect, read the
 * server's greeting, write "0123456789". Usage: client [host] [port]
 * (default localhost 54321). Build: cc -o client client.c */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *host = argc > 1 ? argv[1] : "localhost";
    const char *port = argc > 2 ? argv[2] : "54321";

    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    int err = getaddrinfo(host, port, &hints, &res);
    if (err != 0) { fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err)); exit(1); }

    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0) { perror("socket"); exit(1); }
    if (connect(fd, res->ai_addr, res->ai_addrlen) < 0) { perror("connect"); exit(1); }
    freeaddrinfo(res);

    char buf[128];
    int n = read(fd, buf, sizeof buf - 1);
    if (n < 0) { perror("read"); exit(1); }
    buf[n] = '\0';
    printf("I read %s", buf);
    fflush(stdout);

    write(fd, "0123456789", 10);
    close(fd);
    return 0;
}
