/* The VT100/ANSI interpreter behind the screen terminal (servers/vfs/vt.c). */
#include "unit.h"
#include "../../servers/vfs/vt.h"

#define ROWS 5
#define COLS 10

static uint16_t cells[ROWS * COLS];
static struct vt vt;

static void start(void)
{
	for (unsigned i = 0; i < ROWS * COLS; i++)
		cells[i] = 0x0700 | '.';
	vt_init(&vt, cells, ROWS, COLS, 0, 0);
}

static void out(const char *s)
{
	vt_write(&vt, s, strlen(s));
}

/* Row r's characters as a string */
static const char *row_text(unsigned r)
{
	static char text[COLS + 1];

	for (unsigned c = 0; c < COLS; c++)
		text[c] = (char)(cells[r * COLS + c] & 0xFF);
	text[COLS] = 0;
	return text;
}

static uint8_t attr_at(unsigned r, unsigned c)
{
	return (uint8_t)(cells[r * COLS + c] >> 8);
}

TEST(vt_text_controls_and_wrap)
{
	start();
	out("ab\tc\r\nxy\bz");
	CHECK(strcmp(row_text(0), "ab......c.") == 0);  /* tabs only move */
	CHECK(strcmp(row_text(1), "xz........") == 0);
	CHECK_EQ(vt.row, 1);
	CHECK_EQ(vt.col, 2);
	/* exactly a line's width: the wrap waits for the next character */
	out("\r\n0123456789");
	CHECK_EQ(vt.row, 2);
	out("\r\n");
	CHECK_EQ(vt.row, 3);
	CHECK(strcmp(row_text(2), "0123456789") == 0);
	out("0123456789A");
	CHECK(strcmp(row_text(4), "A.........") == 0);
}

TEST(vt_scrolls_at_the_bottom)
{
	start();
	out("1\r\n2\r\n3\r\n4\r\n5\r\n6");
	CHECK(strcmp(row_text(0), "2.........") == 0);
	CHECK(strcmp(row_text(3), "5.........") == 0);
	CHECK(strcmp(row_text(4), "6         ") == 0);
	CHECK_EQ(vt.row, 4);
}

TEST(vt_cursor_movement)
{
	start();
	out("\x1b[3;4Hx\x1b[Hy\x1b[5;20Hz");
	CHECK(strcmp(row_text(2), "...x......") == 0);
	CHECK(strcmp(row_text(0), "y.........") == 0);
	CHECK(strcmp(row_text(4), ".........z") == 0);
	out("\x1b[2;2H\x1b[Aa\x1b[2Bb\x1b[3Cc\x1b[9Dd\x1b[4Ge\x1b[2dq\x1b[fr");
	CHECK(strcmp(row_text(0), "ra........") == 0);
	CHECK(strcmp(row_text(1), "....q.....") == 0);
	CHECK(strcmp(row_text(2), "d.be..c...") == 0);
	/* save and restore the cursor, both spellings */
	out("\x1b[4;2H\x1b" "7\x1b[H\x1b" "8S\x1b[s\x1b[5;1H\x1b[uT");
	CHECK(strcmp(row_text(3), ".ST.......") == 0);
}

TEST(vt_erases)
{
	start();
	out("\x1b[2;5H\x1b[K");
	CHECK(strcmp(row_text(1), "....      ") == 0);
	out("\x1b[1K");
	CHECK(strcmp(row_text(1), "          ") == 0);
	out("\x1b[3;3H\x1b[J");
	CHECK(strcmp(row_text(2), "..        ") == 0);
	CHECK(strcmp(row_text(4), "          ") == 0);
	CHECK(strcmp(row_text(0), "..........") == 0);
	out("\x1b[1J");
	CHECK(strcmp(row_text(0), "          ") == 0);
	out("\x1b[2J");
	for (unsigned r = 0; r < ROWS; r++)
		CHECK(strcmp(row_text(r), "          ") == 0);
	CHECK_EQ(vt.row, 2);            /* erasing does not move the cursor */
}

TEST(vt_colours_reverse_and_unknown_sequences)
{
	start();
	out("\x1b[7mR\x1b[0mN\x1b[1;31;44mC\x1b[mD");
	CHECK_EQ(attr_at(0, 0), 0x70);
	CHECK_EQ(attr_at(0, 1), 0x07);
	CHECK_EQ(attr_at(0, 2), 0x1C);      /* bright red on blue */
	CHECK_EQ(attr_at(0, 3), 0x07);
	/* private modes, charsets, status requests: no garbage on screen */
	out("\x1b[?25l\x1b[?1049h\x1b(B\x1b[6n\x1b[>c\x1b[?25hE");
	CHECK(strcmp(row_text(0), "RNCDE.....") == 0);
	CHECK(vt.cursor_visible);
	out("\x1b[?25l");
	CHECK(!vt.cursor_visible);
}

TEST(vt_insert_delete_and_regions)
{
	start();
	out("abcdef\x1b[1;2H\x1b[2@");
	CHECK(strcmp(row_text(0), "a  bcdef..") == 0);
	out("\x1b[3P");
	CHECK(strcmp(row_text(0), "acdef..   ") == 0);
	out("\x1b[2X");
	CHECK(strcmp(row_text(0), "a  ef..   ") == 0);
	/* lines 2..4 scroll; 1 and 5 stay */
	start();
	out("1\r\n2\r\n3\r\n4\r\n5\x1b[2;4r\x1b[4;1H\r\nx\r\ny");
	CHECK(strcmp(row_text(0), "1.........") == 0);
	CHECK(strcmp(row_text(1), "4.........") == 0);
	CHECK(strcmp(row_text(2), "x         ") == 0);
	CHECK(strcmp(row_text(3), "y         ") == 0);
	CHECK(strcmp(row_text(4), "5.........") == 0);
	/* reverse index at the top of the region scrolls it down */
	out("\x1b[2;1H\x1bM");
	CHECK(strcmp(row_text(1), "          ") == 0);
	CHECK(strcmp(row_text(2), "4.........") == 0);
	CHECK(strcmp(row_text(0), "1.........") == 0);
	/* insert and delete lines */
	out("\x1b[r\x1b[1;1H\x1b[L");
	CHECK(strcmp(row_text(0), "          ") == 0);
	CHECK(strcmp(row_text(1), "1.........") == 0);
	out("\x1b[2M");
	CHECK(strcmp(row_text(0), "          ") == 0);
	CHECK(strcmp(row_text(1), "4.........") == 0);
}
