/* Client side of the name service (include/tessera/proto/names.idl). */
#include <tessera.h>
#include <proto/names_client.h>

long names_register(const char *name, uint32_t ep_slot)
{
	/* share only the right to call: never our right to receive */
	long send_only = ts_cap_mint(ep_slot, TS_RIGHT_SEND | TS_RIGHT_GRANT, 0);

	if (send_only < 0)
		return send_only;
	long r = names_register_call(TS_SLOT_NAMES, name, send_only, NULL);
	ts_cap_delete(send_only);
	return r;
}

long names_lookup(const char *name, bool wait)
{
	uint32_t slot = TS_NOCAP;
	long r = names_lookup_call(TS_SLOT_NAMES, name, wait, &slot, NULL);

	return r < 0 ? r : (long)slot;
}
