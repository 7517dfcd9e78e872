#ifndef HASCALE_CDATAGRAMSOCKET_H
#define HASCALE_CDATAGRAMSOCKET_H
// recvmmsg(2) and SO_RXQ_OVFL for the syslog receiver: both are GNU extensions
// that Swift's Glibc module does not import, so they are wrapped here.
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/// Turns on the kernel's drop counter (SO_RXQ_OVFL): every datagram then
/// carries how many the socket has dropped so far. 0, or -errno.
int hascale_enable_drop_counter(int fd);

/// How many datagrams the kernel has dropped on this socket so far
/// (SO_MEMINFO), into `*drops`: exact at any time, where SO_RXQ_OVFL shows
/// only on the next datagram that arrives. 0, or -errno.
int hascale_socket_drops(int fd, uint32_t *drops);

/// Receives up to `count` datagrams without waiting, one per `slot_size`-byte
/// slot of `slots`. For each: `lengths[i]` (bytes kept), `truncated[i]` (1 when
/// it was longer than a slot), `senders[i]` (its source address; `senders` may be
/// NULL when they are not needed). `*drops`
/// becomes the highest drop counter seen, if any datagram carried one; with
/// `drops` NULL no control messages are asked for (SO_MEMINFO is read instead).
/// Returns how many were received (0 when none waits), or -errno.
int hascale_receive_batch(int fd, unsigned char *slots, size_t slot_size, unsigned int count,
                          uint32_t *lengths, uint8_t *truncated,
                          struct sockaddr_storage *senders, uint32_t *drops);
#endif
