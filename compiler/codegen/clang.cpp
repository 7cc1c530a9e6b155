// SPDX-License-Identifier: Apache-2.0
/*
 * clang.cpp — in-process C → BPF object compilation with Clang/LLVM 19.
 *
 * The only C++ in tetracc, behind the C interface of cgclang.h.  One call of
 * cg_compile() builds a fresh clang::CompilerInstance from a fixed -cc1
 * command line, gives it a file manager over a private
 * llvm::vfs::InMemoryFileSystem (the embedded headers, the caller's files
 * and the main file: nothing from the host), runs EmitObjAction into a
 * memory stream, and copies the object and the captured diagnostics into
 * malloc'd C memory.  Only the BPF target of LLVM is initialised.
 *
 * Each compilation runs in a forked child (see cg_compile() for why) and
 * the result comes back through a pipe; a crash in Clang or LLVM's
 * report_fatal_error() becomes an "internal error" diagnostic.
 *
 * Determinism: the main file has a fixed virtual path, the DWARF compilation
 * directory is fixed (-fdebug-compilation-dir), value names are discarded
 * and there is no timestamp anywhere in an ELF relocatable, so the same
 * source and files give the same bytes (tested in tests/codegen).
 */
#include "cgclang.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Basic/Version.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/MultiplexConsumer.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef TC_STATIC_CLANG
#include <llvm/Passes/PassPlugin.h>

/*
 * Debian builds Polly into LLVM, so the static clangCodeGen references
 * Polly's pass-plugin entry point; Polly's archives are not shipped and BPF
 * code generation never uses it.  An empty plugin satisfies the reference.
 */
llvm::PassPluginLibraryInfo getPollyPluginInfo();
llvm::PassPluginLibraryInfo getPollyPluginInfo()
{
	return {LLVM_PLUGIN_API_VERSION, "tetracc-no-polly", "0", [](llvm::PassBuilder &) {}};
}
#endif

extern "C" {
void LLVMInitializeBPFTargetInfo(void);
void LLVMInitializeBPFTarget(void);
void LLVMInitializeBPFTargetMC(void);
void LLVMInitializeBPFAsmPrinter(void);
}

namespace
{

char *dup_cstr(llvm::StringRef s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		std::abort();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

/*
 * Forwards every diagnostic to a TextDiagnosticPrinter writing into a
 * string (the text form) and records it as a struct cg_diag.
 */
class CaptureConsumer : public clang::DiagnosticConsumer
{
      public:
	CaptureConsumer(llvm::raw_ostream &os, clang::DiagnosticOptions *opts) : printer(os, opts)
	{
	}

	void BeginSourceFile(const clang::LangOptions &lo, const clang::Preprocessor *pp) override
	{
		printer.BeginSourceFile(lo, pp);
	}

	void EndSourceFile() override
	{
		printer.EndSourceFile();
	}

	void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
			      const clang::Diagnostic &info) override
	{
		clang::DiagnosticConsumer::HandleDiagnostic(level, info);
		printer.HandleDiagnostic(level, info);

		struct cg_diag d = {};
		switch (level) {
		case clang::DiagnosticsEngine::Error:
		case clang::DiagnosticsEngine::Fatal:
			d.level = CG_DIAG_ERROR;
			break;
		case clang::DiagnosticsEngine::Warning:
			d.level = CG_DIAG_WARNING;
			break;
		default:
			d.level = CG_DIAG_NOTE;
			break;
		}
		llvm::SmallString<256> msg;
		info.FormatDiagnostic(msg);
		d.message = dup_cstr(msg);
		if (info.getLocation().isValid() && info.hasSourceManager()) {
			clang::PresumedLoc pl =
				info.getSourceManager().getPresumedLoc(info.getLocation());
			if (pl.isValid()) {
				d.file = dup_cstr(pl.getFilename());
				d.line = pl.getLine();
				d.col = pl.getColumn();
			}
		}
		diags.push_back(d);
	}

	std::vector<struct cg_diag> diags;

      private:
	clang::TextDiagnosticPrinter printer;
};

double mono_now()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/*
 * Splits a compilation's wall time for --time-report: the parse ends when
 * the translation unit is complete, and the consumer placed ahead of Clang's
 * BackendConsumer sees that first; everything after is the LLVM pipeline.
 */
class ParseEndConsumer : public clang::ASTConsumer
{
      public:
	explicit ParseEndConsumer(double *end) : end(end)
	{
	}
	void HandleTranslationUnit(clang::ASTContext &) override
	{
		*end = mono_now();
	}

      private:
	double *end;
};

class TimedAction : public clang::WrapperFrontendAction
{
      public:
	TimedAction(std::unique_ptr<clang::FrontendAction> inner, double *parse_end)
	    : clang::WrapperFrontendAction(std::move(inner)), parse_end(parse_end)
	{
	}

      protected:
	std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &ci,
							      llvm::StringRef file) override
	{
		std::vector<std::unique_ptr<clang::ASTConsumer>> v;
		v.push_back(std::make_unique<ParseEndConsumer>(parse_end));
		v.push_back(clang::WrapperFrontendAction::CreateASTConsumer(ci, file));
		if (!v.back())
			return nullptr;
		return std::make_unique<clang::MultiplexConsumer>(std::move(v));
	}

      private:
	double *parse_end;
};

std::once_flag init_once;

void init_llvm()
{
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
}

/* The -cc1 command line, modelled on `clang -target bpf -O2 -g -mcpu=v3 -###`. */
std::vector<std::string> cc1_args(const std::string &main_path, const struct cg_compile_opts *o)
{
	std::vector<std::string> a = {
		"-cc1",
		"-triple", "bpfel",
		"-emit-obj",
		"-clear-ast-before-backend",
		"-disable-llvm-verifier",
		"-discard-value-names",
		"-main-file-name", main_path.substr(main_path.rfind('/') + 1),
		"-mrelocation-model", "static",
		"-target-cpu", "v3",
		"-fdebug-compilation-dir=" CG_DIR_GEN,
		"-O2",
		"-std=gnu11",
		"-ffreestanding",
		"-fgnuc-version=4.2.1",
		"-ferror-limit", "19",
		"-fmessage-length=0",
		"-nostdsysteminc",
		"-nobuiltininc",
		"-I", CG_DIR_GEN,
		"-I", CG_DIR_INCLUDE,
		"-internal-isystem", CG_DIR_CLANG,
		"-D__TARGET_ARCH_x86",
		"-Wall",
	};
	/*
	 * The BPF backend derives .BTF and .BTF.ext (CO-RE relocations) from debug
	 * info.  Variable-location tracking ("assignment tracking", on by default
	 * at -O2 -g) feeds only DWARF variable locations, which BTF does not have:
	 * off, it saves ~5% of a compile and changes no byte of .BTF or the code.
	 */
	a.insert(a.end(), {"-debug-info-kind=constructor", "-dwarf-version=5",
			   "-debugger-tuning=gdb", "-fexperimental-assignment-tracking=disabled"});
	if (o && o->werror)
		a.push_back("-Werror");
	for (const char *const *d = o ? o->defines : nullptr; d && *d; d++)
		a.push_back(std::string("-D") + *d);
	a.insert(a.end(), {"-x", "c", main_path});
	return a;
}

void add_diag(std::vector<struct cg_diag> &v, const std::string &msg)
{
	struct cg_diag d = {};
	d.level = CG_DIAG_ERROR;
	d.message = dup_cstr(msg);
	v.push_back(d);
}

/*
 * Copy what the caller supplied into the virtual file system.  Returns false
 * (with a diagnostic) for a name that could escape /tetracc/gen.
 */
bool add_user_file(llvm::vfs::InMemoryFileSystem &fs, const char *name, const char *data,
		   size_t len, std::vector<struct cg_diag> &out)
{
	if (!name || !*name || name[0] == '/' || std::strstr(name, "..")) {
		add_diag(out, std::string("invalid virtual file name '") +
					   (name ? name : "(null)") + "'");
		return false;
	}
	std::string path = std::string(CG_DIR_GEN) + "/" + name;
	fs.addFile(path, 0,
		   llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(data ? data : "", len),
							path));
	return true;
}


/* One compilation in this process: see cg_compile() for why it runs in a child. */
int compile_inproc(const char *src, size_t len, const struct cg_compile_opts *opts,
		   struct cg_result *res)
{
	std::memset(res, 0, sizeof(*res));

	if (opts && opts->sz < offsetof(struct cg_compile_opts, werror) + sizeof(bool))
		opts = nullptr; /* an older, smaller opts struct: ignore it */

	std::string diag_text;
	llvm::raw_string_ostream diag_os(diag_text);
	std::vector<struct cg_diag> pre; /* diagnostics before clang starts */

	auto fs = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
	for (size_t i = 0; i < cg_embedded_count(); i++) {
		const struct cg_embedded *e = cg_embedded_at(i);
		fs->addFile(e->path, 0,
			    llvm::MemoryBuffer::getMemBuffer(
				    llvm::StringRef(reinterpret_cast<const char *>(e->data), e->len),
				    e->path, true));
	}
	std::string main_name = opts && opts->main_name ? opts->main_name : "prog.bpf.c";
	bool ok = add_user_file(*fs, main_name.c_str(), src, len, pre);
	for (size_t i = 0; ok && opts && i < opts->nfiles; i++)
		ok = add_user_file(*fs, opts->files[i].name, opts->files[i].data,
				   opts->files[i].len, pre);
	fs->setCurrentWorkingDirectory(CG_DIR_GEN);

	auto diag_opts = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
	diag_opts->ShowColors = false;
	diag_opts->MessageLength = 0;
	CaptureConsumer consumer(diag_os, diag_opts.get());
	consumer.diags = std::move(pre);

	llvm::SmallVector<char, 0> obj;
	if (ok) {
		std::string main_path = std::string(CG_DIR_GEN) + "/" + main_name;
		std::vector<std::string> args = cc1_args(main_path, opts);
		std::vector<const char *> argv;
		for (size_t i = 1; i < args.size(); i++) /* skip "-cc1" */
			argv.push_back(args[i].c_str());

		auto ids = llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>();
		clang::DiagnosticsEngine args_diags(ids, diag_opts, &consumer, false);
		auto inv = std::make_shared<clang::CompilerInvocation>();
		bool inv_ok = clang::CompilerInvocation::CreateFromArgs(*inv, argv, args_diags);

		if (inv_ok) {
			clang::CompilerInstance ci;
			ci.setInvocation(inv);
			ci.createDiagnostics(&consumer, false);
			ci.setVerboseOutputStream(llvm::nulls());
			ci.createFileManager(fs);
			ci.createSourceManager(ci.getFileManager());
			ci.setOutputStream(std::make_unique<llvm::raw_svector_ostream>(obj));

			llvm::LLVMContext ctx;
			double t0 = mono_now(), parse_end = 0;
			TimedAction act(std::make_unique<clang::EmitObjAction>(&ctx), &parse_end);
			ok = ci.ExecuteAction(act);
			if (parse_end > 0) {
				res->secs_frontend = parse_end - t0;
				res->secs_backend = mono_now() - parse_end;
			}
		} else {
			ok = false;
		}
	}
	diag_os.flush();

	res->ndiags = consumer.diags.size();
	res->diags = static_cast<struct cg_diag *>(
		std::calloc(res->ndiags ? res->ndiags : 1, sizeof(struct cg_diag)));
	if (!res->diags)
		std::abort();
	for (size_t i = 0; i < res->ndiags; i++) {
		res->diags[i] = consumer.diags[i];
		if (consumer.diags[i].level == CG_DIAG_ERROR)
			res->errors++;
		else if (consumer.diags[i].level == CG_DIAG_WARNING)
			res->warnings++;
	}
	res->diag_text = dup_cstr(diag_text);

	if (!ok || res->errors || obj.empty()) {
		if (!res->errors)
			res->errors = 1; /* failed without saying why: still an error */
		return -1;
	}
	res->obj = static_cast<unsigned char *>(std::malloc(obj.size()));
	if (!res->obj)
		std::abort();
	std::memcpy(res->obj, obj.data(), obj.size());
	res->obj_len = obj.size();
	return 0;
}

/* ---- the result across a pipe ------------------------------------------------ */

void put_u32(std::string &b, uint32_t v)
{
	b.append(reinterpret_cast<const char *>(&v), sizeof(v));
}

void put_bytes(std::string &b, const void *p, size_t n)
{
	put_u32(b, static_cast<uint32_t>(n));
	if (n)
		b.append(static_cast<const char *>(p), n);
}

void put_str(std::string &b, const char *s)
{
	if (!s) {
		put_u32(b, UINT32_MAX);
		return;
	}
	put_bytes(b, s, std::strlen(s));
}

std::string serialize(int rc, const struct cg_result *r)
{
	std::string b;

	put_u32(b, static_cast<uint32_t>(rc));
	put_u32(b, r->errors);
	put_u32(b, r->warnings);
	put_bytes(b, r->obj, r->obj ? r->obj_len : 0);
	put_str(b, r->diag_text);
	b.append(reinterpret_cast<const char *>(&r->secs_frontend), sizeof(double));
	b.append(reinterpret_cast<const char *>(&r->secs_backend), sizeof(double));
	put_u32(b, static_cast<uint32_t>(r->ndiags));
	for (size_t i = 0; i < r->ndiags; i++) {
		put_u32(b, r->diags[i].level);
		put_u32(b, r->diags[i].line);
		put_u32(b, r->diags[i].col);
		put_str(b, r->diags[i].file);
		put_str(b, r->diags[i].message);
	}
	return b;
}

/* Bounds-checked reader of what serialize() wrote. */
struct Reader {
	const std::string &b;
	size_t off = 0;
	bool ok = true;

	uint32_t u32()
	{
		uint32_t v = 0;

		if (b.size() - off < sizeof(v)) {
			ok = false;
			return 0;
		}
		std::memcpy(&v, b.data() + off, sizeof(v));
		off += sizeof(v);
		return v;
	}

	void f64(double *v)
	{
		if (b.size() - off < sizeof(*v)) {
			ok = false;
			return;
		}
		std::memcpy(v, b.data() + off, sizeof(*v));
		off += sizeof(*v);
	}

	/* malloc'd copy with a NUL; NULL for a NULL string or on error */
	char *bytes(size_t *len, bool allow_null)
	{
		uint32_t n = u32();
		char *p;

		if (!ok || (n == UINT32_MAX && allow_null))
			return nullptr;
		if (b.size() - off < n) {
			ok = false;
			return nullptr;
		}
		p = static_cast<char *>(std::malloc(n + 1u));
		if (!p)
			std::abort();
		std::memcpy(p, b.data() + off, n);
		p[n] = '\0';
		off += n;
		if (len)
			*len = n;
		return p;
	}
};

bool deserialize(const std::string &b, int *rc, struct cg_result *r)
{
	Reader rd{b};
	size_t n = 0;

	*rc = static_cast<int>(rd.u32());
	r->errors = rd.u32();
	r->warnings = rd.u32();
	r->obj = reinterpret_cast<unsigned char *>(rd.bytes(&n, false));
	r->obj_len = n;
	if (r->obj && !n) {
		std::free(r->obj);
		r->obj = nullptr;
	}
	r->diag_text = rd.bytes(nullptr, true);
	rd.f64(&r->secs_frontend);
	rd.f64(&r->secs_backend);
	n = rd.u32();
	if (!rd.ok || n > b.size())
		return false;
	r->diags = static_cast<struct cg_diag *>(std::calloc(n ? n : 1, sizeof(*r->diags)));
	if (!r->diags)
		std::abort();
	r->ndiags = n;
	for (size_t i = 0; i < n && rd.ok; i++) {
		r->diags[i].level = static_cast<enum cg_diag_level>(rd.u32());
		r->diags[i].line = rd.u32();
		r->diags[i].col = rd.u32();
		r->diags[i].file = rd.bytes(nullptr, true);
		r->diags[i].message = rd.bytes(nullptr, true);
	}
	return rd.ok && rd.off == b.size() && r->diag_text;
}

void internal_error(struct cg_result *res, const std::string &msg)
{
	cg_result_free(res);
	res->diags = static_cast<struct cg_diag *>(std::calloc(1, sizeof(*res->diags)));
	if (!res->diags)
		std::abort();
	res->diags[0].level = CG_DIAG_ERROR;
	res->diags[0].message = dup_cstr(msg);
	res->ndiags = 1;
	res->errors = 1;
	res->diag_text = dup_cstr("error: " + msg + "\n");
}

/* The message of the last LLVM fatal error in this process (see compile_guarded()). */
std::string fatal_reason;

void fatal_handler(void *, const char *reason, bool gen_crash_diag)
{
	fatal_reason = reason ? reason : "";
	/* under a CrashRecoveryContext this returns to RunSafely() (HandleExit) */
	llvm::sys::Process::Exit(gen_crash_diag ? 70 : 1);
}

/*
 * compile_inproc() under LLVM's crash recovery: a signal (a crash, an
 * assertion) or report_fatal_error() returns here as an internal error
 * diagnostic instead of ending the process.
 */
int compile_guarded(const char *src, size_t len, const struct cg_compile_opts *opts,
		    struct cg_result *res)
{
	int rc = -1;
	bool ok;

	llvm::CrashRecoveryContext::Enable();
	llvm::install_fatal_error_handler(fatal_handler, nullptr);
	{
		llvm::CrashRecoveryContext crc;

		fatal_reason.clear();
		ok = crc.RunSafely([&] { rc = compile_inproc(src, len, opts, res); });
		if (!ok) {
			std::string why = !fatal_reason.empty()
					      ? "internal error: the BPF compiler failed: " + fatal_reason
				      : crc.RetCode > 128
					    ? "internal error: the BPF compiler crashed (signal " +
						  std::to_string(crc.RetCode - 128) + ")"
					    : "internal error: the BPF compiler crashed (code " +
						  std::to_string(crc.RetCode) + ")";
			/* res may be half-filled by the aborted compile: leak it, report */
			std::memset(res, 0, sizeof(*res));
			internal_error(res, why);
			rc = -1;
		}
	}
	llvm::remove_fatal_error_handler();
	llvm::CrashRecoveryContext::Disable();
	return rc;
}

} // namespace

/*
 * Each compilation runs in a forked child that sends its result back
 * through a pipe.  Two reasons: LLVM 19's BPF backend keeps state across
 * modules (BPFAbstractMemberAccess's static GEPGlobals map holds pointers
 * into the previous module, so a second compile with the same CO-RE access
 * in one process crashes), and a crash or report_fatal_error() in Clang
 * becomes a diagnostic instead of killing tetracc.  fork() costs a few
 * milliseconds here.  A caller that compiles once (opts->only_compile: `tetracc
 * compile` of one policy) skips the child; crash recovery then comes from
 * llvm::CrashRecoveryContext.  TETRACC_CG_INPROCESS=1 compiles in this
 * process without any guard (debugging under gdb).
 */
extern "C" int cg_compile(const char *src, size_t len, const struct cg_compile_opts *opts,
			  struct cg_result *res)
{
	int fds[2], rc = -1, status = 0;
	std::string blob;
	pid_t pid;

	std::memset(res, 0, sizeof(*res));
	std::call_once(init_once, init_llvm);
	const char *inproc = std::getenv("TETRACC_CG_INPROCESS");
	if (inproc && *inproc == '1')
		return compile_inproc(src, len, opts, res);
	if (opts && opts->sz >= offsetof(struct cg_compile_opts, only_compile) + sizeof(bool) &&
	    opts->only_compile)
		return compile_guarded(src, len, opts, res);
	if (pipe2(fds, O_CLOEXEC) < 0)
		return compile_guarded(src, len, opts, res);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return compile_guarded(src, len, opts, res);
	}
	if (pid == 0) {
		struct cg_result r;
		int crc;
		size_t off = 0;

		close(fds[0]);
		crc = compile_guarded(src, len, opts, &r);
		blob = serialize(crc, &r);
		while (off < blob.size()) {
			ssize_t w = write(fds[1], blob.data() + off, blob.size() - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(3);
			off += static_cast<size_t>(w);
		}
		_exit(0);
	}
	close(fds[1]);
	for (;;) {
		char buf[65536];
		ssize_t n = read(fds[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		blob.append(buf, static_cast<size_t>(n));
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		internal_error(res, "internal error: the BPF compiler crashed (signal " +
					    std::to_string(WTERMSIG(status)) + ")");
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !deserialize(blob, &rc, res)) {
		internal_error(res, "internal error: the BPF compiler process failed (status " +
					    std::to_string(status) + ")");
		return -1;
	}
	return rc == 0 ? 0 : -1;
}

extern "C" void cg_result_free(struct cg_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->ndiags; i++) {
		std::free(res->diags[i].file);
		std::free(res->diags[i].message);
	}
	std::free(res->diags);
	std::free(res->diag_text);
	std::free(res->obj);
	std::memset(res, 0, sizeof(*res));
}

extern "C" const char *cg_clang_version(void)
{
	static std::once_flag once;
	static std::string v;
	std::call_once(once, [] { v = clang::getClangFullVersion(); });
	return v.c_str();
}
