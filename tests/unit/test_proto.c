/* Message marshalling of the server protocols. */
#include <stddef.h>
#include "unit.h"
#include <tessera/proto/tty.h>

TEST(msg_tail_layout)
{
	CHECK_EQ(offsetof(struct ts_msg, cap), TS_MSG_TAIL_OFFSET);
	CHECK_EQ(sizeof(struct ts_msg) - TS_MSG_TAIL_OFFSET, TS_MSG_TAIL_SIZE);
}

TEST(tty_input_pack_roundtrip_and_bad_counts)
{
	struct ts_msg m;
	char out[TTY_INPUT_MAX];

	memset(&m, 0xAA, sizeof m);
	tty_input_pack(&m, TTY_MINOR_SCREEN, "\x1b[A", 3);
	CHECK(m.label == TTY_INPUT);
	CHECK(m.word[0] == TTY_MINOR_SCREEN);
	CHECK_EQ(tty_input_unpack(&m, out), 3);
	CHECK(memcmp(out, "\x1b[A", 3) == 0);
	CHECK(m.word[5] == 0);              /* the unused bytes are zeroed */
	m.word[1] = TTY_INPUT_MAX + 1;      /* a count past the words */
	CHECK_EQ(tty_input_unpack(&m, out), 0);
}
