/* Message marshalling of the server protocols. */
#include <stddef.h>
#include "unit.h"
#include <tessera/proto/names.h>
#include <tessera/proto/tty.h>

TEST(names_pack_roundtrip)
{
	struct ts_msg m;
	char out[NAMES_NAME_MAX];

	memset(&m, 0xAA, sizeof m);
	CHECK_EQ(names_pack(&m, "echo"), 0);
	names_unpack(&m, out);
	CHECK(strcmp(out, "echo") == 0);
	/* the rest of the name words is zeroed, the other words untouched */
	CHECK_EQ(((char *)&m.word[0])[4], 0);
	CHECK_EQ(((char *)&m.word[0])[15], 0);
	CHECK(m.word[2] == 0xAAAAAAAAAAAAAAAAull);
	CHECK_EQ(names_pack(&m, "fifteen-chars-x"), 0);
	names_unpack(&m, out);
	CHECK(strcmp(out, "fifteen-chars-x") == 0);
}

TEST(names_pack_rejects_bad_names)
{
	struct ts_msg m = { 0 };

	CHECK_EQ(names_pack(&m, ""), -EINVAL);
	CHECK_EQ(names_pack(&m, "sixteen-chars-xx"), -EINVAL);
	CHECK_EQ(names_pack(&m, "a-much-longer-name-than-fits"), -EINVAL);
}

TEST(names_unpack_terminates_garbage)
{
	struct ts_msg m;
	char out[NAMES_NAME_MAX];

	memset(&m, 'x', sizeof m);
	names_unpack(&m, out);
	CHECK_EQ(strlen(out), NAMES_NAME_MAX - 1);
}

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
