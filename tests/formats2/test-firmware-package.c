/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-dump.h"
#include "wf-firmware-package.h"
#include "wf-formats2-test.h"

/* a split of a generated 4 MiB image: the reference package */
typedef struct {
	gchar *tmp;
	gchar *dir;
	GBytes *image;
	WfSimImageLayout layout;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	WfSimImageSpec spec;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = NULL;

	wf_test_spec_init(&spec, 4);
	fx->image = wf_test_build(&spec);
	g_assert_true(wf_sim_image_get_layout(&spec, &fx->layout, NULL));
	dump = wf_dump_new_from_bytes(fx->image, &error);
	g_assert_no_error(error);
	fx->tmp = wf_test_mkdtemp();
	fx->dir = g_build_filename(fx->tmp, "pkg", NULL);
	g_assert_true(wf_dump_split(dump, fx->dir, &error));
	g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	wf_test_rm_rf(fx->tmp);
	g_free(fx->tmp);
	g_free(fx->dir);
	g_bytes_unref(fx->image);
}

static const gchar *cfg_name = "GPLUS61A_11C_NX9_BB.cfg";

/* what every correct load of the reference package gives */
static void
assert_reference(Fixture *fx, WfFirmwarePackage *package)
{
	const WfFirmwarePackageFile *rom = wf_firmware_package_get_rom(package);
	const WfFirmwarePackageFile *bl = wf_firmware_package_find_file(package, "bootloader");
	const WfFirmwarePackageFile *viva = wf_firmware_package_find_file(package, "VIVA");
	const WfFirmwarePackageFile *fs = wf_firmware_package_find_file(package, "FS_NVRAM.bin");
	WfFirmwareIdentity *id = wf_firmware_package_get_identity(package);
	g_autoptr(GBytes) rebuilt = NULL;
	g_autoptr(GError) error = NULL;
	guint32 off = 0;

	g_assert_cmpstr(wf_cfg_get_platform(wf_firmware_package_get_cfg(package)), ==, "MT6261");
	g_assert_cmpuint(wf_firmware_package_get_files(package)->len, ==, 5);
	g_assert_nonnull(rom);
	g_assert_cmpuint(rom->offset, ==, fx->layout.rom_offset);
	g_assert_cmpuint(rom->length, ==, fx->layout.rom_len);
	g_assert_cmpint(rom->kind, ==, WF_FLASH_REGION_KIND_MAIN);
	g_assert_cmpint(rom->region, ==, WF_CFG_REGION_MAIN);
	g_assert_nonnull(bl);
	g_assert_cmpuint(bl->offset, ==, 0x800);
	g_assert_cmpint(bl->kind, ==, WF_FLASH_REGION_KIND_BOOTLOADER);
	g_assert_cmpint(bl->region, ==, WF_CFG_REGION_BOOT);
	g_assert_nonnull(viva);
	g_assert_cmpuint(viva->offset, ==, fx->layout.viva_offset);
	g_assert_nonnull(fs);
	g_assert_cmpstr(fs->role, ==, WF_FIRMWARE_PACKAGE_ROLE_FS_TAIL);
	g_assert_cmpint(fs->kind, ==, WF_FLASH_REGION_KIND_FS_TAIL);
	g_assert_cmpuint(fs->offset, ==, 0x380000);
	g_assert_cmpuint(wf_firmware_package_get_end(package), ==, 0x3FE000);

	g_assert_cmpint(wf_firmware_identity_get_kind(id), ==, WF_FIRMWARE_IDENTITY_KIND_PACKAGE);
	g_assert_cmpstr(wf_firmware_identity_get_cfg_platform(id), ==, "MT6261");
	g_assert_cmpstr(wf_firmware_identity_get(id, WF_ROM_IDENTITY_FIELD_PROJECT),
			==,
			"GPLUS61A_11C_NX9");
	g_assert_cmpuint(wf_firmware_identity_get_cfg_flash_ids(id)->len, ==, 7);
	g_assert_cmpuint(wf_firmware_identity_get_flash_ids(id)->len, ==, 7);
	g_assert_cmpstr(
		g_ptr_array_index(wf_firmware_identity_get_cfg_flash_ids(id), 0), ==, "C8 60 17");
	g_assert_true(wf_firmware_identity_get_offset(id, "ext_bootloader", &off));
	g_assert_cmpuint(off, ==, 0x2400);

	g_assert_true(wf_firmware_package_check_flash_size(package, 4 * WF_SIM_IMAGE_MIB, NULL));
	rebuilt = wf_dump_rebuild(package, 0, WF_DUMP_REBUILD_FLAG_EXACT, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(rebuilt, fx->image));
}

static void
test_package_folder(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new_from_path(fx->dir, &error);
	g_autoptr(WfFirmwarePackage) by_cfg = NULL;
	g_autofree gchar *cfg_path = g_build_filename(fx->dir, cfg_name, NULL);
	g_autoptr(JsonNode) json = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(wf_firmware_package_get_container(package), ==, "folder");
	g_assert_cmpstr(wf_firmware_package_get_cfg_path(package), ==, cfg_name);
	assert_reference(fx, package);
	json = wf_firmware_package_to_json(package);
	g_assert_cmpuint(json_array_get_length(
				 json_object_get_array_member(json_node_get_object(json), "files")),
			 ==,
			 5);

	/* the cfg itself names the package */
	by_cfg = wf_firmware_package_new_from_path(cfg_path, &error);
	g_assert_no_error(error);
	assert_reference(fx, by_cfg);
}

static void
assert_archive(Fixture *fx, const gchar *format, const gchar *prefix, const gchar *container)
{
	g_autofree gchar *name = g_strdup_printf("pkg.%s", format);
	g_autofree gchar *path = g_build_filename(fx->tmp, name, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = NULL;
	g_autoptr(WfFirmwarePackage) in_memory = wf_firmware_package_new();
	g_autoptr(GBytes) blob = NULL;
	g_autofree gchar *expect_cfg =
		prefix != NULL ? g_strdup_printf("%s%s", prefix, cfg_name) : g_strdup(cfg_name);

	wf_test_make_archive(fx->dir, prefix, format, path);
	package = wf_firmware_package_new_from_path(path, &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(wf_firmware_package_get_container(package), container));
	g_assert_cmpstr(wf_firmware_package_get_cfg_path(package), ==, expect_cfg);
	assert_reference(fx, package);

	blob = wf_test_read_file(fx->tmp, name);
	g_assert_true(wf_firmware_package_load_archive_bytes(in_memory, blob, &error));
	g_assert_no_error(error);
	assert_reference(fx, in_memory);
}

static void
test_package_archives(Fixture *fx, gconstpointer user_data)
{
	assert_archive(fx, "zip", NULL, "ZIP");
	assert_archive(fx, "7z", "Firmware Folder/", "7-Zip");
	assert_archive(fx, "tar", "a/b/", "POSIX");
}

/* RAR is read-only in libarchive: a committed sample made by make-rar4.py */
static void
test_package_rar(void)
{
	g_autofree gchar *path =
		g_build_filename(g_getenv("WF_TESTDATA_DIR"), "packages", "tiny-package.rar", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new_from_path(path, &error);
	GPtrArray *files;
	WfFirmwarePackageFile *f;

	g_assert_no_error(error);
	g_assert_cmpstr(wf_firmware_package_get_container(package), ==, "RAR");
	g_assert_cmpstr(wf_firmware_package_get_cfg_path(package), ==, "Tiny/tiny.cfg");
	files = wf_firmware_package_get_files(package);
	g_assert_cmpuint(files->len, ==, 3);
	/* "bin\bootloader.BIN" found as Tiny/BIN/BOOTLOADER.bin: either slash, any case */
	f = g_ptr_array_index(files, 0);
	g_assert_cmpstr(f->name, ==, "bin\\bootloader.BIN");
	g_assert_cmpstr(f->path, ==, "Tiny/BIN/BOOTLOADER.bin");
	g_assert_cmpuint(f->offset, ==, 0x800);
	g_assert_cmpuint(f->length, ==, 0x100);
	f = g_ptr_array_index(files, 1);
	g_assert_cmpstr(f->path, ==, "Tiny/BIN/EXT_BOOTLOADER");
	g_assert_cmpuint(f->offset, ==, 0x2400);
	f = g_ptr_array_index(files, 2);
	g_assert_cmpstr(f->path, ==, "Tiny/BIN/ROM");
	g_assert_cmpuint(f->offset, ==, 0xB000);
	g_assert_cmpuint(f->length, ==, 0x200);
	g_assert_cmpstr(wf_firmware_identity_get(wf_firmware_package_get_identity(package),
						 WF_ROM_IDENTITY_FIELD_VERNO),
			==,
			"TINY_V1_20260101");
	g_assert_cmpstr(
		wf_firmware_identity_get_platform(wf_firmware_package_get_identity(package)),
		==,
		"MT6261");
	/* a vendor package has no recorded flash size */
	g_assert_null(wf_dump_rebuild(package, 0, WF_DUMP_REBUILD_FLAG_NONE, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
}

/* a vendor package rebuilt into an image gets a header block */
static void
test_package_rebuild_vendor(void)
{
	g_autofree gchar *path =
		g_build_filename(g_getenv("WF_TESTDATA_DIR"), "packages", "tiny-package.rar", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new_from_path(path, &error);
	g_autoptr(GBytes) img = NULL;
	g_autoptr(WfDump) dump = NULL;

	g_assert_no_error(error);
	img = wf_dump_rebuild(package, 0x100000, WF_DUMP_REBUILD_FLAG_NONE, &error);
	g_assert_no_error(error);
	dump = wf_dump_new_from_bytes(img, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_dump_get_header_block_state(dump), ==, WF_BOOT_HEADER_STATE_VALID);
	g_assert_cmpuint(wf_dump_get_region(dump, WF_DUMP_REGION_ROM)->offset, ==, 0xB000);
	g_assert_cmpuint(
		wf_dump_get_region(dump, WF_DUMP_REGION_EXT_BOOTLOADER)->offset, ==, 0x2400);
	g_assert_null(wf_dump_rebuild(package, 0x8000, WF_DUMP_REBUILD_FLAG_NONE, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
}

static void
assert_load_error(const gchar *path, gint code, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new_from_path(path, &error);

	g_assert_null(package);
	g_assert_error(error, WF_ERROR, code);
	if (strstr(error->message, needle) == NULL)
		g_error("error ‘%s’ does not contain ‘%s’", error->message, needle);
}

static void
rewrite_cfg(Fixture *fx, const gchar *old, const gchar *new)
{
	g_autoptr(GBytes) cfg = wf_test_read_file(fx->dir, cfg_name);
	g_autofree gchar *text = g_strndup(g_bytes_get_data(cfg, NULL), g_bytes_get_size(cfg));
	g_auto(GStrv) parts = g_strsplit(text, old, 2);
	g_autofree gchar *out = NULL;

	g_assert_nonnull(parts[1]);
	out = g_strjoin(new, parts[0], parts[1], NULL);
	wf_test_write_file(fx->dir, cfg_name, out, strlen(out));
}

static void
patch_file_u32(Fixture *fx, const gchar *name, gsize offset, guint32 value)
{
	g_autoptr(GBytes) blob = wf_test_read_file(fx->dir, name);
	gsize len = g_bytes_get_size(blob);
	g_autofree guint8 *buf = g_memdup2(g_bytes_get_data(blob, NULL), len);

	wf_test_put32le(buf + offset, value);
	wf_test_write_file(fx->dir, name, buf, len);
}

static void
test_package_missing(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *viva = g_build_filename(fx->dir, "VIVA", NULL);
	g_assert_cmpint(g_unlink(viva), ==, 0);
	assert_load_error(
		fx->dir, WF_ERROR_NOT_FOUND, "lists VIVA but the package does not have it");
}

static void
test_package_max_size(Fixture *fx, gconstpointer user_data)
{
	/* FILE_INFO max_size (+0x24) smaller than file_len */
	patch_file_u32(fx, "ROM", 0x24, 0x10000);
	assert_load_error(fx->dir, WF_ERROR_INVALID_DATA, "FILE_INFO max_size");
}

static void
test_package_overlap(Fixture *fx, gconstpointer user_data)
{
	/* EXT_BOOTLOADER's load address (+0x1C) moved into the ROM */
	patch_file_u32(fx, "EXT_BOOTLOADER", 0x1C, 0x10000000 + fx->layout.rom_offset - 0x100);
	assert_load_error(fx->dir, WF_ERROR_INVALID_DATA, "overlaps ROM");
}

static void
test_package_truncated(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) rom = wf_test_read_file(fx->dir, "ROM");
	wf_test_write_file(fx->dir, "ROM", g_bytes_get_data(rom, NULL), 0x1000);
	assert_load_error(fx->dir, WF_ERROR_INVALID_FILE, "truncated");
}

static void
test_package_not_gfh(Fixture *fx, gconstpointer user_data)
{
	const gchar *text = "this is not a bootloader\n";
	wf_test_write_file(fx->dir, "BOOTLOADER", text, strlen(text));
	assert_load_error(fx->dir, WF_ERROR_INVALID_FILE, "not a MediaTek binary");
}

static void
test_package_platform(Fixture *fx, gconstpointer user_data)
{
	rewrite_cfg(fx, "platform: MT6261", "platform: MT6260A");
	assert_load_error(fx->dir,
			  WF_ERROR_INVALID_DATA,
			  "the cfg is for MT6260A but the ROM was "
			  "built for MT6261");
}

static void
test_package_flash_size(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new_from_path(fx->dir, &error);

	g_assert_no_error(error);
	g_assert_true(wf_firmware_package_check_flash_size(package, 0x400000, &error));
	g_assert_false(wf_firmware_package_check_flash_size(package, 0x200000, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "FS_NVRAM.bin"));
}

static void
test_package_traversal(Fixture *fx, gconstpointer user_data)
{
	rewrite_cfg(fx, "- file: ROM", "- file: ..\\..\\ROM");
	assert_load_error(fx->dir, WF_ERROR_INVALID_DATA, "outside the package");
}

static void
test_package_raw_changed(Fixture *fx, gconstpointer user_data)
{
	patch_file_u32(fx, "FS_NVRAM.bin", 0x40, 0x12345678);
	assert_load_error(fx->dir, WF_ERROR_INVALID_DATA, "SHA-256");
}

static void
test_package_several_cfgs(Fixture *fx, gconstpointer user_data)
{
	const gchar *core_only = "general:\n  platform: MT6261\nmain_region:\n  rom:\n"
				 "    - file: ROM\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = NULL;
	g_autoptr(WfFirmwarePackage) chosen = wf_firmware_package_new();

	wf_test_write_file(fx->dir, "core_only.cfg", core_only, strlen(core_only));
	package = wf_firmware_package_new_from_path(fx->dir, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(wf_firmware_package_get_cfg_path(package), ==, cfg_name);
	g_assert_cmpuint(wf_firmware_package_get_other_cfgs(package)->len, ==, 1);
	wf_firmware_package_set_cfg_name(chosen, "CORE_ONLY.cfg");
	g_assert_true(wf_firmware_package_load(chosen, fx->dir, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(wf_firmware_package_get_cfg_path(chosen), ==, "core_only.cfg");
	/* the manifest's raw regions still come along, its GFH list is the cfg's */
	g_assert_nonnull(wf_firmware_package_find_file(chosen, "rom"));
	g_assert_null(wf_firmware_package_find_file(chosen, "VIVA"));
}

static void
test_package_not_packages(void)
{
	g_autofree gchar *tmp = wf_test_mkdtemp();
	g_autofree gchar *scatter_dir = g_build_filename(tmp, "scatter", NULL);
	g_autofree gchar *android_dir = g_build_filename(tmp, "android", NULL);
	g_autofree gchar *empty_dir = g_build_filename(tmp, "empty", NULL);
	g_autofree gchar *junk_zip = g_build_filename(tmp, "junk.zip", NULL);
	g_autofree gchar *text_file = g_build_filename(tmp, "notes.txt", NULL);
	g_autofree gchar *scatter_path = g_build_filename(
		g_getenv("WF_TESTDATA_DIR"), "scatter", "mt6261_simcom_scat_SIM868M32.txt", NULL);
	g_autofree gchar *scatter = NULL;
	gsize len = 0;
	const gchar *android = "############\n- general: MTK_PLATFORM_CFG\n  info:\n"
			       "    - config_version: V1.1.2\n      platform: MT6261\n";
	const guint8 junk[] = {'P', 'K', 3, 4, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7, 8};

	g_assert_true(g_file_get_contents(scatter_path, &scatter, &len, NULL));
	wf_test_write_file(scatter_dir, "scatSIM868M32.txt", scatter, len);
	assert_load_error(scatter_dir, WF_ERROR_NOT_SUPPORTED, "build artefact");
	wf_test_write_file(android_dir, "MT6261_Android_scatter.txt", android, strlen(android));
	assert_load_error(android_dir, WF_ERROR_NOT_SUPPORTED, "Android");
	g_assert_cmpint(g_mkdir(empty_dir, 0755), ==, 0);
	assert_load_error(empty_dir, WF_ERROR_NOT_FOUND, "no .cfg");
	wf_test_write_file(tmp, "junk.zip", junk, sizeof(junk));
	assert_load_error(junk_zip, WF_ERROR_INVALID_FILE, "");
	wf_test_write_file(tmp, "notes.txt", "hello", 5);
	assert_load_error(text_file, WF_ERROR_INVALID_FILE, "neither a folder");
	wf_test_rm_rf(tmp);
}

/* more entries than the cap: refused before anything is read */
static void
test_package_too_many_entries(void)
{
	gsize bufsz = 8 * 1024 * 1024;
	g_autofree guint8 *buf = g_malloc(bufsz);
	struct archive *a = archive_write_new();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new();
	size_t used = 0;

	g_assert_cmpint(archive_write_set_format_pax_restricted(a), ==, ARCHIVE_OK);
	g_assert_cmpint(archive_write_open_memory(a, buf, bufsz, &used), ==, ARCHIVE_OK);
	for (guint i = 0; i <= WF_FIRMWARE_PACKAGE_MAX_ENTRIES; i++) {
		g_autofree gchar *name = g_strdup_printf("f%u", i);
		struct archive_entry *entry = archive_entry_new();
		archive_entry_set_pathname(entry, name);
		archive_entry_set_size(entry, 1);
		archive_entry_set_filetype(entry, AE_IFREG);
		archive_entry_set_perm(entry, 0644);
		g_assert_cmpint(archive_write_header(a, entry), ==, ARCHIVE_OK);
		g_assert_cmpint(archive_write_data(a, "x", 1), ==, 1);
		archive_entry_free(entry);
	}
	g_assert_cmpint(archive_write_close(a), ==, ARCHIVE_OK);
	archive_write_free(a);
	blob = g_bytes_new(buf, used);
	g_assert_false(wf_firmware_package_load_archive_bytes(package, blob, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_nonnull(strstr(error->message, "more than 4096 files"));
}

/* names inside a folder package: any case, either slash, a subfolder */
static void
test_package_names(void)
{
	WfSimImageSpec spec;
	WfSimImageLayout layout;
	g_autoptr(GBytes) img = NULL;
	g_autofree gchar *tmp = wf_test_mkdtemp();
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwarePackage) package = NULL;
	const gchar *cfg = "general:\n  platform: mt6261\nboot_region:\n  rom:\n"
			   "    - file: Images\\Boot\\bl.bin\n    - file: ./images/BOOT/ext_bl\n"
			   "main_region:\n  rom:\n    - file: IMAGES/rom\n";

	wf_test_spec_init(&spec, 4);
	spec.include_viva = FALSE;
	img = wf_test_build(&spec);
	g_assert_true(wf_sim_image_get_layout(&spec, &layout, NULL));
	wf_test_write_file(tmp, "watch.cfg", cfg, strlen(cfg));
	wf_test_write_file(tmp,
			   "images/boot/BL.BIN",
			   (const guint8 *)g_bytes_get_data(img, NULL) + layout.bl_offset,
			   layout.bl_len);
	wf_test_write_file(tmp,
			   "images/boot/EXT_BL",
			   (const guint8 *)g_bytes_get_data(img, NULL) + layout.ext_bl_offset,
			   layout.ext_bl_len);
	wf_test_write_file(tmp,
			   "images/ROM",
			   (const guint8 *)g_bytes_get_data(img, NULL) + layout.rom_offset,
			   layout.rom_len);
	package = wf_firmware_package_new_from_path(tmp, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(wf_firmware_package_get_files(package)->len, ==, 3);
	g_assert_cmpstr(wf_firmware_package_get_rom(package)->path, ==, "images/ROM");
	g_assert_null(wf_firmware_package_get_header_block(package));
	/* lower-case "mt6261" in the cfg is the ROM's MT6261 */
	g_assert_cmpuint(wf_firmware_package_get_warnings(package)->len, ==, 0);
	wf_test_rm_rf(tmp);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, func)                                                                            \
	g_test_add("/formats2/package/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("folder", test_package_folder);
	ADD("archives", test_package_archives);
	ADD("missing", test_package_missing);
	ADD("max-size", test_package_max_size);
	ADD("overlap", test_package_overlap);
	ADD("truncated", test_package_truncated);
	ADD("not-gfh", test_package_not_gfh);
	ADD("platform", test_package_platform);
	ADD("flash-size", test_package_flash_size);
	ADD("traversal", test_package_traversal);
	ADD("raw-changed", test_package_raw_changed);
	ADD("several-cfgs", test_package_several_cfgs);
#undef ADD
	g_test_add_func("/formats2/package/rar", test_package_rar);
	g_test_add_func("/formats2/package/rebuild-vendor", test_package_rebuild_vendor);
	g_test_add_func("/formats2/package/not-packages", test_package_not_packages);
	g_test_add_func("/formats2/package/too-many-entries", test_package_too_many_entries);
	g_test_add_func("/formats2/package/names", test_package_names);
	return g_test_run();
}
