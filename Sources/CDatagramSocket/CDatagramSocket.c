#define _GNU_SOURCE
#include "CDatagramSocket.h"
#include <errno.h>
#include <string.h>
#include <linux/sock_diag.h>

#define HASCALE_MAX_BATCH 256

int hascale_enable_drop_counter(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on) == 0 ? 0 : -errno;
}

int hascale_socket_drops(int fd, uint32_t *drops) {
#ifdef SO_MEMINFO
    uint32_t info[SK_MEMINFO_VARS];
    socklen_t len = sizeof info;
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, info, &len) != 0) return -errno;
    if (len < sizeof(uint32_t) * (SK_MEMINFO_DROPS + 1)) return -EINVAL;
    *drops = info[SK_MEMINFO_DROPS];
    return 0;
#else
    (void)fd; (void)drops;
    return -ENOPROTOOPT;
#endif
}

int hascale_receive_batch(int fd, unsigned char *slots, size_t slot_size, unsigned int count,
                          uint32_t *lengths, uint8_t *truncated,
                          struct sockaddr_storage *senders, uint32_t *drops) {
    struct mmsghdr msgs[HASCALE_MAX_BATCH];
    struct iovec iovs[HASCALE_MAX_BATCH];
    // Room for one SO_RXQ_OVFL message per datagram.
    union { char buf[CMSG_SPACE(sizeof(uint32_t))]; struct cmsghdr align; } control[HASCALE_MAX_BATCH];
    if (count > HASCALE_MAX_BATCH) count = HASCALE_MAX_BATCH;
    memset(msgs, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        iovs[i].iov_base = slots + (size_t)i * slot_size;
        iovs[i].iov_len = slot_size;
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        // Without a sender list the addresses are not asked for: the kernel skips that copy.
        msgs[i].msg_hdr.msg_name = senders ? &senders[i] : NULL;
        msgs[i].msg_hdr.msg_namelen = senders ? sizeof(struct sockaddr_storage) : 0;
        // Without a counter to read (SO_MEMINFO serves) no control message is asked for either.
        msgs[i].msg_hdr.msg_control = drops ? control[i].buf : NULL;
        msgs[i].msg_hdr.msg_controllen = drops ? sizeof control[i].buf : 0;
    }
    int n;
    do { n = recvmmsg(fd, msgs, count, MSG_DONTWAIT, NULL); } while (n < 0 && errno == EINTR);
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
    for (int i = 0; i < n; i++) {
        lengths[i] = msgs[i].msg_len;
        truncated[i] = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ? 1 : 0;
        if (!drops) continue;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
                uint32_t d;
                memcpy(&d, CMSG_DATA(c), sizeof d);
                if (d > *drops) *drops = d;
            }
        }
    }
    return n;
}
