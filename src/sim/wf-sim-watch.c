/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-watch.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "wf-error.h"
#include "wf-sim-brom.h"
#include "wf-sim-da.h"
#include "wf-sim-image.h"
#include "wf-sim-port.h"

/*
 * A virtual MT6261/MT6260 watch: a flash image file, an identity beside it
 * (FILE.watch.json: ME ID, chip, JEDEC id, the NOR's non-volatile status
 * bits) and a thread that plays the chip.
 *
 * Port lifetime (protocol.md §1.4, §8): plugged in, the port appears; unless
 * a host completes the handshake it vanishes after lifetime_ms and comes back
 * reappear_gap_ms later, so an unattended watch comes and goes until caught.
 * After the handshake the port stays, unless charger_wdt_ms passes without a
 * write to 0xA0700A24. A software reset makes it vanish and return after
 * reset_delay_ms; JUMP_BL makes the chip leave for its firmware, and the
 * BROM port only comes back after an unplug and plug-in.
 */

#define WF_SIM_WATCH_IDENTITY_SUFFIX ".watch.json"

struct _WfSimWatch {
	GObject parent_instance;
	WfSimConfig config;
	const WfSimChip *chip;
	WfSimFlash *flash;
	WfSimFaults *faults;
	guint8 me_id[16];
	gchar *identity_path; /* NULL for a watch in memory */
	guint8 saved_nor_status;

	GMutex mutex;
	GCond cond;
	GThread *thread;
	gboolean plugged;
	gboolean quit;
	gboolean booted;    /* running its firmware: no BROM port until re-plugged */
	gint64 next_appear; /* monotonic time the port may come back */
	guint generation;
	WfSimLink *link; /* the port now, or NULL */
	gint64 appear_us;
	gint64 first_byte_latency_us;

	WfSimEventFunc event_func;
	gpointer event_user_data;
	WfSimDaFunc da_func;
	gpointer da_user_data;
	GDestroyNotify da_destroy;
};

G_DEFINE_FINAL_TYPE(WfSimWatch, wf_sim_watch, G_TYPE_OBJECT)

typedef struct {
	gboolean has_me_id;
	guint8 me_id[16];
	gchar *chip;
	gboolean has_jedec;
	guint8 jedec[3];
	guint8 nor_status;
} WfSimIdentity;

static void
wf_sim_identity_clear(WfSimIdentity *id)
{
	g_free(id->chip);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(WfSimIdentity, wf_sim_identity_clear)

/**
 * wf_sim_event_kind_to_string:
 * @kind: an event kind
 *
 * Returns: the name used in wristflash-sim's JSON events
 */
const gchar *
wf_sim_event_kind_to_string(WfSimEventKind kind)
{
	switch (kind) {
	case WF_SIM_EVENT_PORT_ADDED:
		return "port-added";
	case WF_SIM_EVENT_PORT_REMOVED:
		return "port-removed";
	case WF_SIM_EVENT_HANDSHAKE:
		return "handshake";
	case WF_SIM_EVENT_RESET:
		return "reset";
	case WF_SIM_EVENT_JUMP_DA:
		return "jump-da";
	case WF_SIM_EVENT_HALTED:
		return "halted";
	default:
		return "unknown";
	}
}

static void
wf_sim_watch_dispose(GObject *object)
{
	WfSimWatch *self = WF_SIM_WATCH(object);

	wf_sim_watch_shutdown(self);
	G_OBJECT_CLASS(wf_sim_watch_parent_class)->dispose(object);
}

static void
wf_sim_watch_finalize(GObject *object)
{
	WfSimWatch *self = WF_SIM_WATCH(object);

	if (self->da_destroy != NULL)
		self->da_destroy(self->da_user_data);
	g_clear_object(&self->link);
	g_clear_object(&self->flash);
	g_clear_object(&self->faults);
	g_free(self->identity_path);
	wf_sim_config_clear(&self->config);
	g_mutex_clear(&self->mutex);
	g_cond_clear(&self->cond);
	G_OBJECT_CLASS(wf_sim_watch_parent_class)->finalize(object);
}

static void
wf_sim_watch_class_init(WfSimWatchClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = wf_sim_watch_dispose;
	object_class->finalize = wf_sim_watch_finalize;
}

static void
wf_sim_watch_init(WfSimWatch *self)
{
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	self->first_byte_latency_us = -1;
	self->faults = wf_sim_faults_new();
}

/* ---- identity file ---------------------------------------------------- */

/* GLib's file and JSON errors, in the project's domain */
static gboolean
wf_sim_watch_fail(GError **error, GError *error_local, WfError code, const gchar *what)
{
	g_set_error(error, WF_ERROR, code, "%s: %s", what, error_local->message);
	g_error_free(error_local);
	return FALSE;
}

static gchar *
wf_sim_watch_hex(const guint8 *buf, gsize len)
{
	GString *str = g_string_sized_new(len * 2);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(str, "%02x", buf[i]);
	return g_string_free(str, FALSE);
}

static gboolean
wf_sim_watch_unhex(const gchar *text, guint8 *buf, gsize len)
{
	if (text == NULL || strlen(text) != len * 2)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		gint hi = g_ascii_xdigit_value(text[2 * i]);
		gint lo = g_ascii_xdigit_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return FALSE;
		buf[i] = (guint8)((hi << 4) | lo);
	}
	return TRUE;
}

static gboolean
wf_sim_watch_load_identity(const gchar *path, WfSimIdentity *id, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	JsonObject *obj;
	JsonNode *root;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;
	if (!json_parser_load_from_file(parser, path, &error_local)) {
		g_autofree gchar *what = g_strdup_printf("watch identity %s", path);
		return wf_sim_watch_fail(
			error, g_steal_pointer(&error_local), WF_ERROR_INVALID_FILE, what);
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "watch identity %s: not a JSON object",
			    path);
		return FALSE;
	}
	obj = json_node_get_object(root);
	if (json_object_has_member(obj, "me-id")) {
		id->has_me_id = wf_sim_watch_unhex(
			json_object_get_string_member(obj, "me-id"), id->me_id, sizeof(id->me_id));
		if (!id->has_me_id) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "watch identity %s: me-id is not 32 hex digits",
				    path);
			return FALSE;
		}
	}
	if (json_object_has_member(obj, "chip"))
		id->chip = g_strdup(json_object_get_string_member(obj, "chip"));
	if (json_object_has_member(obj, "jedec-id")) {
		id->has_jedec = wf_sim_watch_unhex(json_object_get_string_member(obj, "jedec-id"),
						   id->jedec,
						   sizeof(id->jedec));
		if (!id->has_jedec) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "watch identity %s: jedec-id is not 6 hex digits",
				    path);
			return FALSE;
		}
	}
	if (json_object_has_member(obj, "nor-status"))
		id->nor_status = (guint8)json_object_get_int_member(obj, "nor-status");
	return TRUE;
}

static gboolean
wf_sim_watch_save_identity(WfSimWatch *self, GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *me_id = wf_sim_watch_hex(self->me_id, sizeof(self->me_id));
	g_autofree gchar *jedec_lower = NULL;
	g_autofree gchar *jedec = NULL;
	g_autofree gchar *data = NULL;
	g_autoptr(GError) error_local = NULL;
	guint8 nor_status;

	if (self->identity_path == NULL)
		return TRUE;
	jedec_lower = wf_sim_watch_hex(wf_sim_flash_get_jedec(self->flash), 3);
	jedec = g_ascii_strup(jedec_lower, -1);
	nor_status = wf_sim_flash_get_status(self->flash) & WF_SIM_FLASH_SR_BP_MASK;
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "me-id");
	json_builder_add_string_value(builder, me_id);
	json_builder_set_member_name(builder, "chip");
	json_builder_add_string_value(builder, self->chip->name);
	json_builder_set_member_name(builder, "jedec-id");
	json_builder_add_string_value(builder, jedec);
	json_builder_set_member_name(builder, "flash-size");
	json_builder_add_int_value(builder, (gint64)wf_sim_flash_get_size(self->flash));
	json_builder_set_member_name(builder, "nor-status");
	json_builder_add_int_value(builder, nor_status);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	data = json_generator_to_data(generator, NULL);
	if (!g_file_set_contents(self->identity_path, data, -1, &error_local))
		return wf_sim_watch_fail(error,
					 g_steal_pointer(&error_local),
					 WF_ERROR_WRITE,
					 "cannot write the watch identity");
	self->saved_nor_status = nor_status;
	return TRUE;
}

/* ---- creation ----------------------------------------------------------- */

static GBytes *
wf_sim_watch_build_image(gsize size, const guint8 jedec[3], const guint8 me_id[16], GError **error)
{
	guint8 *blank;

	/* the realistic default image exists for the sizes watches use */
	if (size == 4 * 1024 * 1024 || size == 8 * 1024 * 1024 || size == 16 * 1024 * 1024)
		return wf_sim_image_build_default(size, jedec, me_id, error);
	blank = g_malloc(size);
	memset(blank, 0xFF, size);
	return g_bytes_new_take(blank, size);
}

static gboolean
wf_sim_watch_create_flash_file(const gchar *path, GBytes *image, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(image, &len);

	if (!g_file_set_contents(path, data, (gssize)len, &error_local))
		return wf_sim_watch_fail(error,
					 g_steal_pointer(&error_local),
					 WF_ERROR_WRITE,
					 "cannot create the flash image");
	return TRUE;
}

static gboolean
wf_sim_watch_pick_size(WfSimWatch *self, gboolean exists, gsize *size, GError **error)
{
	const gchar *path = self->config.flash_path;

	if (exists) {
		g_autoptr(GFile) file = g_file_new_for_path(path);
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GFileInfo) info = g_file_query_info(file,
							      G_FILE_ATTRIBUTE_STANDARD_SIZE,
							      G_FILE_QUERY_INFO_NONE,
							      NULL,
							      &error_local);
		gsize file_size;

		if (info == NULL)
			return wf_sim_watch_fail(
				error, g_steal_pointer(&error_local), WF_ERROR_READ, path);
		file_size = (gsize)g_file_info_get_size(info);
		if (self->config.flash_size != 0 && file_size != self->config.flash_size) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "flash image %s holds %zu KiB, but a %zu KiB flash was asked "
				    "for; leave out the size to use the file as it is",
				    path,
				    file_size / 1024,
				    self->config.flash_size / 1024);
			return FALSE;
		}
		if (!wf_sim_config_size_is_valid(file_size)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "flash image %s: %zu bytes is not a flash size (a power of "
				    "two, 64 KiB to 16 MiB)",
				    path,
				    file_size);
			return FALSE;
		}
		*size = file_size;
		return TRUE;
	}
	*size = self->config.flash_size != 0 ? self->config.flash_size : WF_SIM_DEFAULT_FLASH_SIZE;
	return TRUE;
}

static void
wf_sim_watch_random_me_id(guint8 me_id[16])
{
	for (guint i = 0; i < 16; i += 4) {
		guint32 r = g_random_int();
		memcpy(me_id + i, &r, 4);
	}
}

static gboolean
wf_sim_watch_setup_flash(WfSimWatch *self, GError **error)
{
	g_auto(WfSimIdentity) id = {0};
	const gchar *path = self->config.flash_path;
	gboolean exists = path != NULL && g_file_test(path, G_FILE_TEST_EXISTS);
	guint8 jedec[3];
	gsize size = 0;

	if (path != NULL) {
		self->identity_path = g_strconcat(path, WF_SIM_WATCH_IDENTITY_SUFFIX, NULL);
		if (!wf_sim_watch_load_identity(self->identity_path, &id, error))
			return FALSE;
	}
	if (!wf_sim_watch_pick_size(self, exists, &size, error))
		return FALSE;

	/* the caller's wishes win over the stored identity, which wins over defaults */
	if (id.has_me_id)
		memcpy(self->me_id, id.me_id, sizeof(self->me_id));
	else
		wf_sim_watch_random_me_id(self->me_id);
	self->chip = wf_sim_chip_lookup(self->config.chip != NULL ? self->config.chip : id.chip);
	if (self->chip == NULL)
		self->chip = wf_sim_chip_lookup("mt6261");
	if (self->config.has_jedec)
		memcpy(jedec, self->config.jedec, 3);
	else if (id.has_jedec)
		memcpy(jedec, id.jedec, 3);
	else
		wf_sim_config_default_jedec(size, jedec);

	if (path == NULL || !exists) {
		g_autoptr(GBytes) image = wf_sim_watch_build_image(size, jedec, self->me_id, error);
		if (image == NULL)
			return FALSE;
		if (path == NULL) {
			self->flash = wf_sim_flash_new(size, jedec);
			return wf_sim_flash_load(self->flash, image, error);
		}
		if (!wf_sim_watch_create_flash_file(path, image, error))
			return FALSE;
	}
	self->flash = wf_sim_flash_new_for_file(path, jedec, error);
	if (self->flash == NULL)
		return FALSE;
	wf_sim_flash_set_status(self->flash, id.nor_status);
	return wf_sim_watch_save_identity(self, error);
}

/**
 * wf_sim_watch_new:
 * @config: how the watch is built and behaves
 * @error: (out): return location
 *
 * Loads the watch whose flash is @config->flash_path, or creates it (default
 * image, random ME ID) if the file does not exist. A watch without a path
 * lives in memory only. The watch starts unplugged.
 */
WfSimWatch *
wf_sim_watch_new(const WfSimConfig *config, GError **error)
{
	g_autoptr(WfSimWatch) self = NULL;

	g_return_val_if_fail(config != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(WF_TYPE_SIM_WATCH, NULL);
	wf_sim_config_copy(&self->config, config);
	if (config->chip != NULL && wf_sim_chip_lookup(config->chip) == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "unknown chip '%s' (known: mt6261, mt6260)",
			    config->chip);
		return NULL;
	}
	if (config->flash_size != 0 && !wf_sim_config_size_is_valid(config->flash_size)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "flash size %zu: need a power of two between 64 KiB and 16 MiB",
			    config->flash_size);
		return NULL;
	}
	if (!wf_sim_faults_parse(self->faults, config->faults, error))
		return NULL;
	/* MediaTek's DA, as the uploaded build behaves (wf-sim-da.c), answers JUMP_DA */
	wf_sim_watch_set_da_func(self, wf_sim_da_run, wf_sim_da_new(self->faults), g_object_unref);
	if (!wf_sim_watch_setup_flash(self, error))
		return NULL;
	if (config->fast_nor) {
		WfSimFlashTiming timing = {0};
		wf_sim_flash_set_timing(self->flash, &timing);
	}
	return g_steal_pointer(&self);
}

/* ---- the chip's thread ---------------------------------------------------- */

static void
wf_sim_watch_emit(WfSimWatch *self, const WfSimEvent *event)
{
	if (self->event_func != NULL)
		self->event_func(self, event, self->event_user_data);
}

static gint64
wf_sim_watch_latency_of(WfSimLink *link, gint64 appear_us)
{
	gint64 first = wf_sim_channel_get_first_arrival(
		wf_sim_link_get_channel(link, WF_SIM_DIRECTION_OUT));
	return first < 0 ? -1 : MAX(first - appear_us, 0);
}

typedef struct {
	WfSimWatch *watch;
	WfSimLink *link;
	gint64 appear_us;
} WfSimSession;

static void
wf_sim_watch_brom_event_cb(WfSimBrom *brom, WfSimBromEvent kind, guint32 value, gpointer data)
{
	WfSimSession *session = data;
	WfSimEvent event = {.generation = wf_sim_link_get_generation(session->link),
			    .link = session->link,
			    .value = value};

	switch (kind) {
	case WF_SIM_BROM_EVENT_HANDSHAKE: {
		gint64 latency = wf_sim_watch_latency_of(session->link, session->appear_us);
		event.kind = WF_SIM_EVENT_HANDSHAKE;
		event.value = (guint32)CLAMP(latency, 0, G_MAXUINT32);
		if (latency > 20000)
			g_info("the host's first byte came %" G_GINT64_FORMAT
			       " ms after the port appeared; a real watch may be gone by then",
			       latency / 1000);
		break;
	}
	case WF_SIM_BROM_EVENT_JUMP_DA:
		event.kind = WF_SIM_EVENT_JUMP_DA;
		break;
	case WF_SIM_BROM_EVENT_HALTED:
	default:
		event.kind = WF_SIM_EVENT_HALTED;
		break;
	}
	wf_sim_watch_emit(session->watch, &event);
}

static void
wf_sim_watch_da_trampoline(WfSimDaContext *ctx, gpointer data)
{
	WfSimWatch *self = data;
	WfSimDaFunc func;
	gpointer user_data;

	g_mutex_lock(&self->mutex);
	func = self->da_func;
	user_data = self->da_user_data;
	g_mutex_unlock(&self->mutex);
	if (func != NULL)
		func(ctx, user_data);
}

static WfSimBromExit
wf_sim_watch_run_session(WfSimWatch *self, WfSimLink *link, gint64 appear_us)
{
	g_autoptr(WfSimMemory) memory = wf_sim_memory_new(self->flash, self->chip);
	g_autoptr(WfSimBrom) brom = wf_sim_brom_new(memory, link, self->faults, self->me_id);
	WfSimSession session = {self, link, appear_us};
	gboolean has_da;

	g_mutex_lock(&self->mutex);
	has_da = self->da_func != NULL;
	g_mutex_unlock(&self->mutex);
	wf_sim_brom_set_timeouts(
		brom, appear_us, self->config.lifetime_ms, self->config.charger_wdt_ms);
	wf_sim_brom_set_event_func(brom, wf_sim_watch_brom_event_cb, &session);
	if (has_da)
		wf_sim_brom_set_da_func(brom, wf_sim_watch_da_trampoline, self);
	return wf_sim_brom_run(brom);
}

static const gchar *
wf_sim_watch_removed_reason(WfSimWatch *self, WfSimLink *link, WfSimBromExit exit)
{
	if (self->quit)
		return "shutdown";
	if (!self->plugged)
		return "unplug";
	if (exit == WF_SIM_BROM_EXIT_LOST)
		return wf_sim_link_get_fault_disconnect(link) ? "disconnect" : "lost";
	return wf_sim_brom_exit_to_string(exit);
}

/* the chip is gone: let the last bytes reach the host, then drop the port */
static void
wf_sim_watch_end_session(WfSimWatch *self, WfSimLink *link, WfSimBromExit exit)
{
	WfSimChannel *in = wf_sim_link_get_channel(link, WF_SIM_DIRECTION_IN);
	WfSimEvent event = {.generation = wf_sim_link_get_generation(link), .link = link};
	guint delay_ms = self->config.reappear_gap_ms;
	gint64 latency;

	if (exit != WF_SIM_BROM_EXIT_LOST)
		wf_sim_channel_wait_closed(in, wf_sim_channel_get_drain_time(in));
	wf_sim_link_vanish(link, 0);

	g_mutex_lock(&self->mutex);
	event.reason = wf_sim_watch_removed_reason(self, link, exit);
	latency = wf_sim_watch_latency_of(link, self->appear_us);
	if (latency >= 0)
		self->first_byte_latency_us = latency;
	g_clear_object(&self->link);
	if (exit == WF_SIM_BROM_EXIT_RESET)
		delay_ms = self->config.reset_delay_ms;
	if (exit == WF_SIM_BROM_EXIT_BOOT)
		self->booted = TRUE;
	self->next_appear = g_get_monotonic_time() + (gint64)delay_ms * 1000;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);

	g_debug("port %u removed: %s", event.generation, event.reason);
	if (exit == WF_SIM_BROM_EXIT_RESET) {
		WfSimEvent reset = {
			.kind = WF_SIM_EVENT_RESET, .generation = event.generation, .link = link};
		wf_sim_watch_emit(self, &reset);
	}
	event.kind = WF_SIM_EVENT_PORT_REMOVED;
	wf_sim_watch_emit(self, &event);
}

/* waits, with the mutex held, until a port may appear; FALSE = quit */
static gboolean
wf_sim_watch_wait_for_appearance_locked(WfSimWatch *self)
{
	for (;;) {
		gint64 now = g_get_monotonic_time();

		if (self->quit)
			return FALSE;
		if (!self->plugged || self->booted) {
			g_cond_wait(&self->cond, &self->mutex);
			continue;
		}
		if (now < self->next_appear) {
			g_cond_wait_until(&self->cond, &self->mutex, self->next_appear);
			continue;
		}
		return TRUE;
	}
}

static gpointer
wf_sim_watch_thread(gpointer data)
{
	WfSimWatch *self = data;

	g_mutex_lock(&self->mutex);
	while (wf_sim_watch_wait_for_appearance_locked(self)) {
		g_autoptr(WfSimLink) link = NULL;
		WfSimEvent event = {.kind = WF_SIM_EVENT_PORT_ADDED};
		WfSimBromExit exit;
		gint64 appear_us;

		link = wf_sim_link_new(++self->generation,
				       self->config.rate,
				       self->config.turnaround_us,
				       self->faults);
		/* the host's clock starts now, whatever the listener below costs */
		appear_us = g_get_monotonic_time();
		self->appear_us = appear_us;
		g_mutex_unlock(&self->mutex);

		/* the port exists once whoever listens has set it up */
		event.generation = wf_sim_link_get_generation(link);
		event.link = link;
		wf_sim_watch_emit(self, &event);

		g_mutex_lock(&self->mutex);
		self->link = g_object_ref(link);
		/* an unplug or shutdown that raced the emission ends it at once */
		if (self->quit || !self->plugged)
			wf_sim_link_vanish(link, 0);
		g_cond_broadcast(&self->cond);
		g_mutex_unlock(&self->mutex);
		g_debug("port %u appeared", event.generation);

		exit = wf_sim_watch_run_session(self, link, appear_us);
		wf_sim_watch_end_session(self, link, exit);
		g_mutex_lock(&self->mutex);
	}
	g_mutex_unlock(&self->mutex);
	return NULL;
}

/* ---- control -------------------------------------------------------------- */

/**
 * wf_sim_watch_set_event_func:
 * @self: a #WfSimWatch
 * @func: (nullable): called from the watch's thread
 * @user_data: for @func
 *
 * Set it before wf_sim_watch_plug_in().
 */
void
wf_sim_watch_set_event_func(WfSimWatch *self, WfSimEventFunc func, gpointer user_data)
{
	g_return_if_fail(WF_IS_SIM_WATCH(self));
	g_mutex_lock(&self->mutex);
	self->event_func = func;
	self->event_user_data = user_data;
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_sim_watch_set_da_func:
 * @self: a #WfSimWatch
 * @func: (nullable): the Download Agent emulation to run after JUMP_DA
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data with the watch
 *
 * A new watch runs the DA emulation of wf-sim-da.c; with %NULL it stays
 * silent after a successful JUMP_DA.
 */
void
wf_sim_watch_set_da_func(WfSimWatch *self,
			 WfSimDaFunc func,
			 gpointer user_data,
			 GDestroyNotify destroy)
{
	GDestroyNotify old_destroy;
	gpointer old_data;

	g_return_if_fail(WF_IS_SIM_WATCH(self));
	g_mutex_lock(&self->mutex);
	old_destroy = self->da_destroy;
	old_data = self->da_user_data;
	self->da_func = func;
	self->da_user_data = user_data;
	self->da_destroy = destroy;
	g_mutex_unlock(&self->mutex);
	if (old_destroy != NULL)
		old_destroy(old_data);
}

/**
 * wf_sim_watch_plug_in:
 * @self: a #WfSimWatch
 *
 * Connects the watch: its port appears now and the lifecycle starts.
 */
void
wf_sim_watch_plug_in(WfSimWatch *self)
{
	g_return_if_fail(WF_IS_SIM_WATCH(self));

	g_mutex_lock(&self->mutex);
	if (!self->quit) {
		self->plugged = TRUE;
		self->booted = FALSE;
		self->next_appear = 0;
		if (self->thread == NULL)
			self->thread = g_thread_new("wf-sim-watch", wf_sim_watch_thread, self);
		g_cond_broadcast(&self->cond);
	}
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_sim_watch_unplug:
 * @self: a #WfSimWatch
 *
 * Pulls the cable: the port vanishes at once, bytes in flight are lost.
 */
void
wf_sim_watch_unplug(WfSimWatch *self)
{
	g_return_if_fail(WF_IS_SIM_WATCH(self));

	g_mutex_lock(&self->mutex);
	self->plugged = FALSE;
	self->booted = FALSE;
	if (self->link != NULL)
		wf_sim_link_vanish(self->link, 0);
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_sim_watch_shutdown:
 * @self: a #WfSimWatch
 *
 * Unplugs the watch, stops its thread and writes the flash to disk. Safe to
 * call more than once; the watch cannot be plugged in again.
 */
void
wf_sim_watch_shutdown(WfSimWatch *self)
{
	g_autoptr(GError) error = NULL;
	GThread *thread;

	g_return_if_fail(WF_IS_SIM_WATCH(self));

	g_mutex_lock(&self->mutex);
	self->quit = TRUE;
	self->plugged = FALSE;
	if (self->link != NULL)
		wf_sim_link_vanish(self->link, 0);
	g_cond_broadcast(&self->cond);
	thread = g_steal_pointer(&self->thread);
	g_mutex_unlock(&self->mutex);
	if (thread != NULL)
		g_thread_join(thread);
	if (self->flash != NULL && !wf_sim_watch_sync(self, &error))
		g_message("virtual watch: %s", error->message);
}

static gchar *
wf_sim_watch_port_name(WfSimWatch *self, WfSimLink *link)
{
	g_autofree gchar *base = self->config.flash_path != NULL
					 ? g_path_get_basename(self->config.flash_path)
					 : NULL;
	return g_strdup_printf(
		"sim:%s#%u", base != NULL ? base : "memory", wf_sim_link_get_generation(link));
}

/**
 * wf_sim_watch_open_port:
 * @self: a #WfSimWatch
 * @error: (out): %WF_ERROR_NOT_FOUND when the watch has no port right now
 *
 * Opens the port as it is now, like opening /dev/ttyACM0.
 *
 * Returns: (transfer full): a #WfSimPort
 */
WfTransport *
wf_sim_watch_open_port(WfSimWatch *self, GError **error)
{
	g_autoptr(WfSimLink) link = NULL;
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(WF_IS_SIM_WATCH(self), NULL);

	g_mutex_lock(&self->mutex);
	if (self->link != NULL && !wf_sim_link_is_gone(self->link))
		link = g_object_ref(self->link);
	g_mutex_unlock(&self->mutex);
	if (link == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_NOT_FOUND,
				    "the virtual watch has no port right now");
		return NULL;
	}
	name = wf_sim_watch_port_name(self, link);
	return WF_TRANSPORT(wf_sim_port_new(link, name));
}

/**
 * wf_sim_watch_wait_port:
 * @self: a #WfSimWatch
 * @timeout_ms: how long to wait for the port to appear
 * @cancellable: a #GCancellable, or %NULL
 * @error: (out): %WF_ERROR_TIMED_OUT
 *
 * Like polling wf_sim_watch_open_port(), without the polling.
 *
 * Returns: (transfer full): a #WfSimPort
 */
WfTransport *
wf_sim_watch_wait_port(WfSimWatch *self,
		       guint timeout_ms,
		       GCancellable *cancellable,
		       GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	g_return_val_if_fail(WF_IS_SIM_WATCH(self), NULL);

	g_mutex_lock(&self->mutex);
	for (;;) {
		gint64 until = deadline;

		if (self->link != NULL && !wf_sim_link_is_gone(self->link))
			break;
		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			g_mutex_unlock(&self->mutex);
			return NULL;
		}
		if (g_get_monotonic_time() >= deadline) {
			g_mutex_unlock(&self->mutex);
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_TIMED_OUT,
				    "the virtual watch's port did not appear within %u ms",
				    timeout_ms);
			return NULL;
		}
		if (cancellable != NULL)
			until = MIN(until, g_get_monotonic_time() + 20000);
		g_cond_wait_until(&self->cond, &self->mutex, until);
	}
	g_mutex_unlock(&self->mutex);
	return wf_sim_watch_open_port(self, error);
}

/**
 * wf_sim_watch_has_port:
 * @self: a #WfSimWatch
 */
gboolean
wf_sim_watch_has_port(WfSimWatch *self)
{
	gboolean ret;

	g_return_val_if_fail(WF_IS_SIM_WATCH(self), FALSE);
	g_mutex_lock(&self->mutex);
	ret = self->link != NULL && !wf_sim_link_is_gone(self->link);
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_watch_get_generation:
 * @self: a #WfSimWatch
 *
 * Returns: how many times the port has appeared
 */
guint
wf_sim_watch_get_generation(WfSimWatch *self)
{
	guint ret;

	g_return_val_if_fail(WF_IS_SIM_WATCH(self), 0);
	g_mutex_lock(&self->mutex);
	ret = self->generation;
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_watch_get_me_id:
 * @self: a #WfSimWatch
 *
 * Returns: the 16-byte ME ID that GET_ME_ID (E1) answers
 */
const guint8 *
wf_sim_watch_get_me_id(WfSimWatch *self)
{
	g_return_val_if_fail(WF_IS_SIM_WATCH(self), NULL);
	return self->me_id;
}

/**
 * wf_sim_watch_get_chip:
 * @self: a #WfSimWatch
 *
 * Returns: "mt6261" or "mt6260"
 */
const gchar *
wf_sim_watch_get_chip(WfSimWatch *self)
{
	g_return_val_if_fail(WF_IS_SIM_WATCH(self), NULL);
	return self->chip->name;
}

/**
 * wf_sim_watch_get_jedec:
 * @self: a #WfSimWatch
 *
 * Returns: the three JEDEC id bytes of the flash
 */
const guint8 *
wf_sim_watch_get_jedec(WfSimWatch *self)
{
	g_return_val_if_fail(WF_IS_SIM_WATCH(self), NULL);
	return wf_sim_flash_get_jedec(self->flash);
}

/**
 * wf_sim_watch_get_flash_size:
 * @self: a #WfSimWatch
 */
gsize
wf_sim_watch_get_flash_size(WfSimWatch *self)
{
	g_return_val_if_fail(WF_IS_SIM_WATCH(self), 0);
	return wf_sim_flash_get_size(self->flash);
}

/**
 * wf_sim_watch_get_flash:
 * @self: a #WfSimWatch
 *
 * Returns: (transfer none): the serial NOR
 */
WfSimFlash *
wf_sim_watch_get_flash(WfSimWatch *self)
{
	g_return_val_if_fail(WF_IS_SIM_WATCH(self), NULL);
	return self->flash;
}

/**
 * wf_sim_watch_dup_flash:
 * @self: a #WfSimWatch
 *
 * Returns: (transfer full): a snapshot of the NOR array
 */
GBytes *
wf_sim_watch_dup_flash(WfSimWatch *self)
{
	g_return_val_if_fail(WF_IS_SIM_WATCH(self), NULL);
	return wf_sim_flash_dup_bytes(self->flash);
}

/**
 * wf_sim_watch_get_first_byte_latency_us:
 * @self: a #WfSimWatch
 *
 * How long after the port appeared the host's first byte arrived, for the
 * port now or, if it has received nothing yet, the last one that did. Real
 * watches give a host about 20 ms.
 *
 * Returns: microseconds, or -1 if no port ever received a byte
 */
gint64
wf_sim_watch_get_first_byte_latency_us(WfSimWatch *self)
{
	gint64 ret;

	g_return_val_if_fail(WF_IS_SIM_WATCH(self), -1);
	g_mutex_lock(&self->mutex);
	ret = self->first_byte_latency_us;
	if (self->link != NULL) {
		gint64 now = wf_sim_watch_latency_of(self->link, self->appear_us);
		if (now >= 0)
			ret = now;
	}
	g_mutex_unlock(&self->mutex);
	return ret;
}

/**
 * wf_sim_watch_sync:
 * @self: a #WfSimWatch
 * @error: (out): return location
 *
 * Forces the flash file to disk and records a changed NOR status register
 * (block protection is non-volatile) in the identity file.
 */
gboolean
wf_sim_watch_sync(WfSimWatch *self, GError **error)
{
	guint8 nor_status;

	g_return_val_if_fail(WF_IS_SIM_WATCH(self), FALSE);
	if (!wf_sim_flash_sync(self->flash, error))
		return FALSE;
	nor_status = wf_sim_flash_get_status(self->flash) & WF_SIM_FLASH_SR_BP_MASK;
	if (nor_status != self->saved_nor_status)
		return wf_sim_watch_save_identity(self, error);
	return TRUE;
}
