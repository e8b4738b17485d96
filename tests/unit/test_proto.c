/* Message marshalling of the server protocols. */
#include <stddef.h>
#include "unit.h"
#include <proto/tty_server.h>

TEST(msg_tail_layout)
{
	CHECK_EQ(offsetof(struct ts_msg, cap), TS_MSG_TAIL_OFFSET);
	CHECK_EQ(sizeof(struct ts_msg) - TS_MSG_TAIL_OFFSET, TS_MSG_TAIL_SIZE);
}

/* The generated tty input call keeps the words the keyboard driver always sent:
 * minor, count, the bytes; the VFS's unpacking refuses a count past them. */
TEST(tty_input_words_and_bad_counts)
{
	struct ts_msg m;
	struct tty_input_req q;

	memset(&m, 0xAA, sizeof m);
	CHECK_EQ(tty_input_start(&m, TTY_MINOR_SCREEN, "\x1b[A", 3), 0);
	CHECK(m.label == TTY_INPUT && TTY_INPUT == 0x400);
	CHECK(m.word[0] == TTY_MINOR_SCREEN);
	CHECK(m.word[1] == 3);
	CHECK(memcmp(&m.word[2], "\x1b[A", 3) == 0);
	CHECK(m.word[5] == 0);              /* the unused bytes are zeroed */
	CHECK_EQ(tty_input_unpack(&m, &q), 0);
	CHECK(q.minor == TTY_MINOR_SCREEN && q.bytes_len == 3);
	CHECK(memcmp(q.bytes, "\x1b[A", 3) == 0);
	m.word[1] = TTY_INPUT_MAX + 1;      /* a count past the words */
	CHECK_EQ(tty_input_unpack(&m, &q), -EINVAL);
	CHECK_EQ(tty_input_start(&m, TTY_MINOR_SCREEN, "", TTY_INPUT_MAX + 1), -EINVAL);
}
