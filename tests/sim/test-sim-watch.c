/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wf-error.h"
#include "wf-sim-test-util.h"

/* Port lifetime, re-enumeration, identity and persistence of a watch. */

static void
assert_lost(WfTransport *port, guint timeout_ms)
{
	g_autoptr(GError) error = NULL;
	guint8 b;
	gsize got = 0;

	g_assert_false(wf_transport_read(port, &b, 1, &got, timeout_ms, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
}

static WfSimWatch *
watch_with_lifetime(guint lifetime_ms, guint charger_wdt_ms)
{
	WfSimConfig config;

	wf_sim_test_config_init_fast(&config);
	config.lifetime_ms = lifetime_ms;
	config.charger_wdt_ms = charger_wdt_ms;
	config.reappear_gap_ms = 30;
	return wf_sim_test_watch_new(&config);
}

static void
test_unattended(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_lifetime(150, 0);
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GError) error = NULL;
	gint64 appeared, gone, back;

	g_assert_false(wf_sim_watch_has_port(watch));
	port = wf_sim_watch_open_port(watch, &error);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_null(port);
	g_clear_error(&error);

	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	appeared = g_get_monotonic_time();
	/* a started but unfinished handshake does not keep the port */
	wf_sim_test_exchange(port, "A0", "5F");
	assert_lost(port, 2000);
	gone = g_get_monotonic_time();
	g_assert_cmpint(gone - appeared, >=, 100000);
	g_assert_cmpint(gone - appeared, <, 1000000);
	g_assert_false(wf_sim_watch_has_port(watch));
	g_clear_object(&port);

	/* it comes back after the gap, as a new port, and goes again */
	port = wf_sim_test_wait_port(watch);
	back = g_get_monotonic_time();
	g_assert_cmpint(back - gone, <, 1000000);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 2);
	assert_lost(port, 2000);
	g_clear_object(&port);
	port = wf_sim_test_wait_port(watch);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 3);
	/* caught: the port stays beyond its lifetime */
	wf_sim_test_handshake(port);
	g_usleep(300000);
	wf_sim_test_exchange(port, "FF", "05");
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 3);
}

static void
test_charger_wdt(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_lifetime(0, 400);
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);

	/* kicking 0xA0700A24 keeps the port past the watchdog's period */
	for (guint i = 0; i < 4; i++) {
		g_usleep(150000);
		wf_sim_test_write16(port, 0xA0700A24, 0x0015);
	}
	wf_sim_test_exchange(port, "FF", "05");
	/* left alone, it goes */
	assert_lost(port, 2000);
	g_clear_object(&port);
	port = wf_sim_test_wait_port(watch);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), ==, 2);
}

static void
test_first_byte_latency(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_lifetime(0, 0);
	g_autoptr(WfTransport) port = NULL;
	gint64 latency;

	g_assert_cmpint(wf_sim_watch_get_first_byte_latency_us(watch), ==, -1);
	wf_sim_watch_plug_in(watch);
	port = wf_sim_test_wait_port(watch);
	g_assert_cmpint(wf_sim_watch_get_first_byte_latency_us(watch), ==, -1);
	g_usleep(40000);
	wf_sim_test_handshake(port);
	latency = wf_sim_watch_get_first_byte_latency_us(watch);
	g_assert_cmpint(latency, >=, 40000);
	g_assert_cmpint(latency, <, 1000000);
	/* it stays known after the port went */
	wf_sim_watch_unplug(watch);
	assert_lost(port, 1000);
	g_assert_cmpint(wf_sim_watch_get_first_byte_latency_us(watch), ==, latency);
}

static void
test_unplug(void)
{
	g_autoptr(WfSimWatch) watch = watch_with_lifetime(0, 0);
	g_autoptr(WfTransport) port = wf_sim_test_connect(watch);
	g_autoptr(WfTransport) port2 = NULL;
	g_autoptr(GError) error = NULL;

	wf_sim_watch_unplug(watch);
	assert_lost(port, 1000);
	g_assert_false(wf_transport_write(port, (const guint8 *)"\xFF", 1, 100, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_clear_error(&error);
	g_usleep(50000);
	g_assert_null(wf_sim_watch_open_port(watch, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_clear_error(&error);
	/* waiting for a port that never comes times out */
	g_assert_null(wf_sim_watch_wait_port(watch, 50, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	/* plugged in again: a fresh chip that wants a handshake */
	port2 = wf_sim_test_connect(watch);
	wf_sim_test_exchange(port2, "FF", "05");
	/* the old port stays dead */
	assert_lost(port, 100);
}

typedef struct {
	GMutex mutex;
	GString *log;
} EventLog;

static void
event_cb(WfSimWatch *watch, const WfSimEvent *event, gpointer user_data)
{
	EventLog *log = user_data;

	g_mutex_lock(&log->mutex);
	g_string_append_printf(
		log->log, "%u:%s", event->generation, wf_sim_event_kind_to_string(event->kind));
	if (event->reason != NULL)
		g_string_append_printf(log->log, "(%s)", event->reason);
	g_string_append_c(log->log, ' ');
	g_mutex_unlock(&log->mutex);
}

static void
test_events(void)
{
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfTransport) port = NULL;
	EventLog log = {.log = g_string_new(NULL)};
	WfSimConfig config;

	g_mutex_init(&log.mutex);
	wf_sim_test_config_init_fast(&config);
	config.reset_delay_ms = 20;
	watch = wf_sim_test_watch_new(&config);
	wf_sim_watch_set_event_func(watch, event_cb, &log);
	port = wf_sim_test_connect(watch);
	wf_sim_test_exchange(port, "D4 A003001C 00000001", "D4 A003001C 00000001 0001");
	wf_sim_test_exchange(port, "00001209", "00001209");
	assert_lost(port, 1000);
	g_clear_object(&port);
	port = wf_sim_test_wait_port(watch);
	wf_sim_test_handshake(port);
	wf_sim_test_exchange(port, "D5 70007000", "D5 70007000 1D16");
	wf_sim_watch_shutdown(watch);
	g_assert_cmpstr(log.log->str,
			==,
			"1:port-added 1:handshake 1:reset 1:port-removed(reset) "
			"2:port-added 2:handshake 2:halted 2:port-removed(shutdown) ");
	/* shut down for good */
	wf_sim_watch_plug_in(watch);
	g_assert_false(wf_sim_watch_has_port(watch));
	g_string_free(log.log, TRUE);
	g_mutex_clear(&log.mutex);
}

static gchar *
make_tmpdir(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("wf-sim-watch-XXXXXX", &error);
	g_assert_no_error(error);
	return dir;
}

static void
remove_tmpdir(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
}

static WfSimWatch *
watch_for_file(const gchar *path, gsize size, const gchar *chip, const gchar *jedec)
{
	WfSimConfig config;
	WfSimWatch *watch;

	wf_sim_test_config_init_fast(&config);
	config.flash_path = g_strdup(path);
	config.flash_size = size;
	config.chip = chip;
	if (jedec != NULL) {
		g_assert_true(wf_sim_config_parse_jedec(jedec, config.jedec, NULL));
		config.has_jedec = TRUE;
	}
	watch = wf_sim_test_watch_new(&config);
	wf_sim_config_clear(&config);
	return watch;
}

static void
test_persistence(void)
{
	g_autofree gchar *dir = make_tmpdir();
	g_autofree gchar *path = g_build_filename(dir, "watch.bin", NULL);
	g_autofree gchar *path2 = g_build_filename(dir, "other.bin", NULL);
	g_autofree gchar *identity = g_strconcat(path, ".watch.json", NULL);
	g_autofree gchar *contents = NULL;
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(WfSimWatch) other = NULL;
	g_autoptr(WfTransport) port = NULL;
	g_autoptr(GBytes) flash = NULL;
	g_autoptr(GError) error = NULL;
	guint8 me_id[16];
	gsize len = 0;

	/* created: the default image, 8 MiB unless asked otherwise */
	watch = watch_for_file(path, 0, NULL, NULL);
	g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(identity, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(wf_sim_watch_get_flash_size(watch), ==, 8 * 1024 * 1024);
	g_assert_cmpmem(wf_sim_watch_get_jedec(watch), 3, "\xC8\x60\x17", 3);
	g_assert_cmpstr(wf_sim_watch_get_chip(watch), ==, "mt6261");
	memcpy(me_id, wf_sim_watch_get_me_id(watch), sizeof(me_id));
	flash = wf_sim_watch_dup_flash(watch);
	g_assert_cmpmem(g_bytes_get_data(flash, NULL), 7, "SF_BOOT", 7);
	g_clear_pointer(&flash, g_bytes_unref);

	/* change it through SFI: erase the first sector, protect the top block */
	port = wf_sim_test_connect(watch);
	{
		g_autoptr(GByteArray) rx = NULL;
		rx = wf_sim_test_sfi(port, (const guint8 *)"\x06", 1, 0);
		g_clear_pointer(&rx, g_byte_array_unref);
		rx = wf_sim_test_sfi(port, (const guint8 *)"\x20\x00\x00\x00", 4, 0);
		g_clear_pointer(&rx, g_byte_array_unref);
		rx = wf_sim_test_sfi(port, (const guint8 *)"\x06", 1, 0);
		g_clear_pointer(&rx, g_byte_array_unref);
		rx = wf_sim_test_sfi(port, (const guint8 *)"\x01\x04", 2, 0);
	}
	g_clear_object(&port);
	g_clear_object(&watch);

	/* the file is the flash */
	g_file_get_contents(path, &contents, &len, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(len, ==, 8 * 1024 * 1024);
	for (gsize i = 0; i < 4096; i++)
		g_assert_cmpuint((guint8)contents[i], ==, 0xFF);

	/* same file, same watch: ME ID, flash, block protection */
	watch = watch_for_file(path, 0, NULL, NULL);
	g_assert_cmpmem(wf_sim_watch_get_me_id(watch), 16, me_id, 16);
	flash = wf_sim_watch_dup_flash(watch);
	g_assert_cmpmem(g_bytes_get_data(flash, NULL), len, contents, len);
	g_assert_true(wf_sim_flash_get_protected_range(wf_sim_watch_get_flash(watch), NULL, NULL));
	g_clear_object(&watch);

	/* another file is another watch */
	other = watch_for_file(path2, 4 * 1024 * 1024, NULL, NULL);
	g_assert_true(memcmp(wf_sim_watch_get_me_id(other), me_id, 16) != 0);
	g_assert_cmpmem(wf_sim_watch_get_jedec(other), 3, "\xC2\x20\x16", 3);

	remove_tmpdir(dir);
}

static void
test_identity(void)
{
	g_autofree gchar *dir = make_tmpdir();
	g_autofree gchar *path = g_build_filename(dir, "w.bin", NULL);
	g_autofree gchar *identity = g_strconcat(path, ".watch.json", NULL);
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *me_hex = NULL;
	JsonObject *obj;
	WfSimConfig config;

	watch = watch_for_file(path, 16 * 1024 * 1024, "mt6260", "EF4018");
	g_assert_cmpstr(wf_sim_watch_get_chip(watch), ==, "mt6260");
	g_clear_object(&watch);

	/* FILE.watch.json holds the identity */
	json_parser_load_from_file(parser, identity, &error);
	g_assert_no_error(error);
	obj = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(obj, "chip"), ==, "mt6260");
	g_assert_cmpstr(json_object_get_string_member(obj, "jedec-id"), ==, "EF4018");
	g_assert_cmpint(json_object_get_int_member(obj, "flash-size"), ==, 16 * 1024 * 1024);
	g_assert_cmpuint(strlen(json_object_get_string_member(obj, "me-id")), ==, 32);
	me_hex = g_strdup(json_object_get_string_member(obj, "me-id"));

	/* reopened without options: the stored chip and JEDEC id, the file's size */
	watch = watch_for_file(path, 0, NULL, NULL);
	g_assert_cmpstr(wf_sim_watch_get_chip(watch), ==, "mt6260");
	g_assert_cmpmem(wf_sim_watch_get_jedec(watch), 3, "\xEF\x40\x18", 3);
	g_assert_cmpuint(wf_sim_watch_get_flash_size(watch), ==, 16 * 1024 * 1024);
	{
		g_autofree gchar *hex = g_strdup_printf("%02x%02x",
							wf_sim_watch_get_me_id(watch)[0],
							wf_sim_watch_get_me_id(watch)[1]);
		g_assert_true(g_str_has_prefix(me_hex, hex));
	}
	g_clear_object(&watch);

	/* a size that does not match the file is an error */
	wf_sim_test_config_init_fast(&config);
	config.flash_path = g_strdup(path);
	config.flash_size = 8 * 1024 * 1024;
	watch = wf_sim_watch_new(&config, &error);
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_null(watch);
	g_clear_error(&error);
	/* a damaged identity file is reported, not replaced */
	{
		g_autofree gchar *saved = NULL;
		g_file_get_contents(identity, &saved, NULL, &error);
		g_assert_no_error(error);
		g_file_set_contents(identity, "{ nonsense", -1, &error);
		g_assert_no_error(error);
		config.flash_size = 0;
		watch = wf_sim_watch_new(&config, &error);
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
		g_assert_null(watch);
		g_clear_error(&error);
		g_file_set_contents(identity, saved, -1, &error);
		g_assert_no_error(error);
	}
	/* a flash file that cannot be created */
	{
		g_autofree gchar *bad = g_build_filename(dir, "missing", "w.bin", NULL);
		g_free(config.flash_path);
		config.flash_path = g_strdup(bad);
		watch = wf_sim_watch_new(&config, &error);
		g_assert_error(error, WF_ERROR, WF_ERROR_WRITE);
		g_assert_null(watch);
		g_clear_error(&error);
		g_free(config.flash_path);
		config.flash_path = g_strdup(path);
	}
	/* so is an unknown chip */
	config.flash_size = 0;
	config.chip = "mt6235";
	watch = wf_sim_watch_new(&config, &error);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_assert_null(watch);
	wf_sim_config_clear(&config);
	remove_tmpdir(dir);
}

static void
test_config_parsing(void)
{
	g_autoptr(GError) error = NULL;
	guint8 jedec[3];
	gsize size = 0;

	g_assert_true(wf_sim_config_parse_size("4M", &size, &error));
	g_assert_cmpuint(size, ==, 4 * 1024 * 1024);
	g_assert_true(wf_sim_config_parse_size("16MiB", &size, &error));
	g_assert_cmpuint(size, ==, 16 * 1024 * 1024);
	g_assert_true(wf_sim_config_parse_size("512K", &size, &error));
	g_assert_cmpuint(size, ==, 512 * 1024);
	g_assert_true(wf_sim_config_parse_size("0x800000", &size, &error));
	g_assert_cmpuint(size, ==, 8 * 1024 * 1024);
	g_assert_no_error(error);
	g_assert_false(wf_sim_config_parse_size("3M", &size, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(wf_sim_config_parse_size("32M", &size, &error));
	g_clear_error(&error);
	g_assert_false(wf_sim_config_parse_size("big", &size, &error));
	g_clear_error(&error);
	g_assert_true(wf_sim_config_parse_jedec("C2 20 16", jedec, &error));
	g_assert_cmpmem(jedec, 3, "\xC2\x20\x16", 3);
	g_assert_false(wf_sim_config_parse_jedec("C220", jedec, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(wf_sim_config_parse_jedec("C2201G", jedec, &error));
	g_clear_error(&error);
	wf_sim_config_default_jedec(4 * 1024 * 1024, jedec);
	g_assert_cmpmem(jedec, 3, "\xC2\x20\x16", 3);
	wf_sim_config_default_jedec(8 * 1024 * 1024, jedec);
	g_assert_cmpmem(jedec, 3, "\xC8\x60\x17", 3);
	wf_sim_config_default_jedec(16 * 1024 * 1024, jedec);
	g_assert_cmpmem(jedec, 3, "\xEF\x40\x18", 3);
}

static void
test_memory_watch(void)
{
	WfSimConfig config;
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(GBytes) flash = NULL;

	/* defaults: 8 MiB, GD25LQ64, the default image, no file */
	wf_sim_config_init(&config);
	g_assert_cmpuint(config.rate, ==, 1000000);
	g_assert_cmpuint(config.turnaround_us, ==, 1000);
	g_assert_cmpuint(config.lifetime_ms, ==, 3500);
	g_assert_cmpuint(config.charger_wdt_ms, ==, 0);
	watch = wf_sim_test_watch_new(&config);
	g_assert_cmpuint(wf_sim_watch_get_flash_size(watch), ==, 8 * 1024 * 1024);
	flash = wf_sim_watch_dup_flash(watch);
	g_assert_cmpmem(g_bytes_get_data(flash, NULL), 7, "SF_BOOT", 7);
	g_assert_true(wf_sim_watch_sync(watch, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sim/watch/unattended", test_unattended);
	g_test_add_func("/sim/watch/charger-wdt", test_charger_wdt);
	g_test_add_func("/sim/watch/first-byte-latency", test_first_byte_latency);
	g_test_add_func("/sim/watch/unplug", test_unplug);
	g_test_add_func("/sim/watch/events", test_events);
	g_test_add_func("/sim/watch/persistence", test_persistence);
	g_test_add_func("/sim/watch/identity", test_identity);
	g_test_add_func("/sim/watch/config-parsing", test_config_parsing);
	g_test_add_func("/sim/watch/memory-watch", test_memory_watch);
	return g_test_run();
}
