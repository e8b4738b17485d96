/* Echo server protocol (labels 0x200-0x2ff): the IPC demonstration and
 * benchmark peer. Registered with the name service as "echo". */
#ifndef TESSERA_PROTO_ECHO_H
#define TESSERA_PROTO_ECHO_H

enum echo_label {
	/* <- the same label and words */
	ECHO_PING = 0x200,
	/* grant read+write of word[0] bytes: the server adds 1 to each byte
	 * in place <- label = bytes done or -errno */
	ECHO_INCREMENT,
	/* the server copies one byte more than was granted
	 * <- label = what TS_SYS_GRANT_COPY returned (-EFAULT expected) */
	ECHO_OVERREAD,
	/* <- label = 0 only once ECHO_RELEASE arrives (a deferred reply) */
	ECHO_PARK,
	/* answers every parked caller <- label = how many were parked */
	ECHO_RELEASE,
	/* a grant of word[0] bytes is read (not written) <- label = bytes */
	ECHO_SINK,
};

#endif
