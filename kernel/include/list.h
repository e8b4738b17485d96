/* Intrusive circular doubly linked lists. */
#ifndef LIST_H
#define LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *prev, *next;
};

static inline void list_init(struct list_node *h) { h->prev = h->next = h; }
static inline bool list_empty(const struct list_node *h) { return h->next == h; }
/* A node not on any list points at itself (after list_init or list_remove). */
static inline bool list_linked(const struct list_node *n) { return n->next != n && n->next; }

static inline void list_add_tail(struct list_node *h, struct list_node *n)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define list_entry(n, type, member) ((type *)((char *)(n) - offsetof(type, member)))
#define list_first(h, type, member) list_entry((h)->next, type, member)
#define list_for_each_safe(pos, tmp, h) \
	for (pos = (h)->next, tmp = pos->next; pos != (h); pos = tmp, tmp = pos->next)

#endif
