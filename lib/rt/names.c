/* Client side of the name service (include/tessera/proto/names.h). */
#include <tessera.h>
#include <tessera/proto/names.h>

long names_register(const char *name, uint32_t ep_slot)
{
	struct ts_msg m = ts_msg_make(NAMES_REGISTER);
	long err = names_pack(&m, name);

	if (err)
		return err;
	/* share only the right to call: never our right to receive */
	long send_only = ts_cap_mint(ep_slot, TS_RIGHT_SEND | TS_RIGHT_GRANT, 0);
	if (send_only < 0)
		return send_only;
	m.cap = send_only;
	err = ts_call(TS_SLOT_NAMES, &m);
	ts_cap_delete(send_only);
	return err ? err : (long)m.label;
}

long names_lookup(const char *name, bool wait)
{
	struct ts_msg m = ts_msg_make(NAMES_LOOKUP);
	long err = names_pack(&m, name);

	if (err)
		return err;
	m.word[2] = wait;
	err = ts_call(TS_SLOT_NAMES, &m);
	if (err)
		return err;
	if ((long)m.label < 0)
		return (long)m.label;
	return m.cap == TS_NOCAP ? -EPIPE : (long)m.cap;
}
