/*
 * Getting a JVM with the bridge's bootstrap run in it: attach to the JVM of the host process when
 * there is one (SunPKCS11, JNA), otherwise start one on a thread of its own. Either way the
 * bootstrap (io.jhsm.bridge.NativeBoot.boot) is loaded through a URLClassLoader over the
 * module's jar beside this library (jhsm-module.jar: bridge, engine and network client, not the CLI
 * or the cluster node), whose parent is the system class loader: a host that already has the bridge
 * on its class path keeps its own copy, any other host gets the jar's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <jni.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "jhsm_internal.h"

#ifndef JHSM_BUILD_JAVA_HOME
#define JHSM_BUILD_JAVA_HOME "/usr/lib/jvm/default-java"
#endif

#define BOOT_CLASS "io.jhsm.bridge.NativeBoot"
/* The module's own jar, a third of the CLI's jhsm.jar: the JVM opens and indexes less at start. jhsm.jar
   (everything) serves a directory that has no module jar, e.g. one laid out before the split. */
#define MODULE_JAR "jhsm-module.jar"
#define FULL_JAR "jhsm.jar"
#define MAX_OPTIONS 64

enum boot_state { NOT_STARTED, BOOTING, READY, FAILED };

volatile pid_t jhsm_jvm_pid;
volatile int jhsm_forked;

static void mark_forked(void) {
    jhsm_forked = 1;
}

static void jhsm_register_fork_handler(void) {
    pthread_atfork(NULL, NULL, mark_forked);
}

/* Once Java runs in this process, any fork()ed child is cut off from it (see in_forked_child). */
static void watch_forks(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, jhsm_register_fork_handler);
}
__thread int jhsm_thread_attached;
volatile int jhsm_direct;
static jclass boot_class;
static jmethodID direct_call;

static JavaVM *vm;
static volatile int state = NOT_STARTED;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static pthread_key_t detach_key;
static char lib_path[PATH_MAX];
static char lib_dir[PATH_MAX];
static char jvm_path[PATH_MAX];   /* the libjvm.so we loaded, for the class archive's stamp */
static char jvm_home[PATH_MAX];   /* the JDK it came from, whose libjsig.so goes with it */
static char module_jar[PATH_MAX + 32];   /* the jar the bridge is loaded from (see locate_library) */

int jhsm_java_ready(void) {
    return __atomic_load_n(&state, __ATOMIC_ACQUIRE) == READY;
}

static void set_state(int s) {
    pthread_mutex_lock(&lock);
    __atomic_store_n(&state, s, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

/* A thread we attached is detached when it exits, so the JVM does not keep a dead thread. */
static void detach_at_exit(void *unused) {
    (void) unused;
    if (vm != NULL) {
        (*vm)->DetachCurrentThread(vm);
    }
}

static void locate_library(void) {
    Dl_info info;
    if (dladdr((void *) &locate_library, &info) == 0 || info.dli_fname == NULL
        || realpath(info.dli_fname, lib_path) == NULL) {
        snprintf(lib_path, sizeof(lib_path), "libjhsm.so");
    }
    snprintf(lib_dir, sizeof(lib_dir), "%s", lib_path);
    char *slash = strrchr(lib_dir, '/');
    if (slash != NULL) {
        *slash = '\0';
    } else {
        snprintf(lib_dir, sizeof(lib_dir), ".");
    }
    snprintf(module_jar, sizeof(module_jar), "%s/" MODULE_JAR, lib_dir);
    if (access(module_jar, R_OK) != 0) {
        snprintf(module_jar, sizeof(module_jar), "%s/" FULL_JAR, lib_dir);
    }
}

/* Returns the loaded boot class (a global reference) or NULL with the exception described. */
static jclass load_boot_class(JNIEnv *env) {
    const char *jar = module_jar;
    jclass file_c = (*env)->FindClass(env, "java/io/File");
    jclass uri_c = (*env)->FindClass(env, "java/net/URI");
    jclass url_c = (*env)->FindClass(env, "java/net/URL");
    jclass loader_c = (*env)->FindClass(env, "java/lang/ClassLoader");
    jclass url_loader_c = (*env)->FindClass(env, "java/net/URLClassLoader");
    if ((*env)->ExceptionCheck(env)) {
        return NULL;
    }
    jobject file = (*env)->NewObject(env, file_c, (*env)->GetMethodID(env, file_c, "<init>", "(Ljava/lang/String;)V"),
                                     (*env)->NewStringUTF(env, jar));
    jobject uri = file ? (*env)->CallObjectMethod(env, file, (*env)->GetMethodID(env, file_c, "toURI", "()Ljava/net/URI;")) : NULL;
    jobject url = uri ? (*env)->CallObjectMethod(env, uri, (*env)->GetMethodID(env, uri_c, "toURL", "()Ljava/net/URL;")) : NULL;
    if (url == NULL) {
        return NULL;
    }
    jobjectArray urls = (*env)->NewObjectArray(env, 1, url_c, url);
    jobject system = (*env)->CallStaticObjectMethod(env, loader_c,
        (*env)->GetStaticMethodID(env, loader_c, "getSystemClassLoader", "()Ljava/lang/ClassLoader;"));
    if ((*env)->ExceptionCheck(env)) {
        return NULL;
    }
    jobject loader = (*env)->NewObject(env, url_loader_c,
        (*env)->GetMethodID(env, url_loader_c, "<init>", "([Ljava/net/URL;Ljava/lang/ClassLoader;)V"), urls, system);
    jobject boot = loader ? (*env)->CallObjectMethod(env, loader,
        (*env)->GetMethodID(env, loader_c, "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;"),
        (*env)->NewStringUTF(env, BOOT_CLASS)) : NULL;
    /* The global reference keeps the class, its loader and so every registered callback alive. */
    return boot ? (jclass) (*env)->NewGlobalRef(env, boot) : NULL;
}

/* NativeBoot.call(int, long x 10), the direct path, and bootDirect, which skips the JNA callbacks. A bridge
   without them (an older copy on a host's class path) is booted with boot() and answers through JNA. */
static jmethodID find_direct_boot(JNIEnv *env, jclass boot) {
    jmethodID call = (*env)->GetStaticMethodID(env, boot, "call", "(IJJJJJJJJJJ)J");
    jmethodID start = call ? (*env)->GetStaticMethodID(env, boot, "bootDirect", "(Ljava/lang/String;)I") : NULL;
    if (start == NULL) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    boot_class = boot;
    direct_call = call;
    return start;
}

CK_RV jhsm_upcall(int index, const int64_t args[JHSM_MAX_ARGS]) {
    JNIEnv *env = NULL;
    /* GetEnv on every call rather than a cached JNIEnv: a host may detach one of its threads between calls. */
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        jhsm_attach_slow();
        if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
            return CKR_GENERAL_ERROR;
        }
    }
    jvalue v[JHSM_MAX_ARGS + 1];
    v[0].i = index;
    for (int k = 0; k < JHSM_MAX_ARGS; k++) {
        v[k + 1].j = args[k];
    }
    jlong rv = (*env)->CallStaticLongMethodA(env, boot_class, direct_call, v);
    if ((*env)->ExceptionCheck(env)) {
        /* Guard catches every Throwable; only an error thrown while handling one can get here. */
        (*env)->ExceptionClear(env);
        return CKR_GENERAL_ERROR;
    }
    return (CK_RV) rv;
}

/* Runs NativeBoot.boot(libraryPath); CKR_OK once every callback is registered. */
static CK_RV run_bootstrap(JNIEnv *env) {
    jclass boot = load_boot_class(env);
    jint rv = -1;
    if (boot != NULL) {
        jmethodID direct = find_direct_boot(env, boot);
        jmethodID m = direct ? direct : (*env)->GetStaticMethodID(env, boot, "boot", "(Ljava/lang/String;)I");
        if (m != NULL) {
            rv = (*env)->CallStaticIntMethod(env, boot, m, (*env)->NewStringUTF(env, lib_path));
        }
        if (direct != NULL && rv == 0 && !(*env)->ExceptionCheck(env)) {
            __atomic_store_n(&jhsm_direct, 1, __ATOMIC_RELEASE);
        }
    }
    if ((*env)->ExceptionCheck(env)) {
        fprintf(stderr, "jhsm: the Java bootstrap %s failed (is %s there?):\n", BOOT_CLASS, module_jar);
        (*env)->ExceptionDescribe(env);
        (*env)->ExceptionClear(env);
        return CKR_GENERAL_ERROR;
    }
    return rv == 0 ? CKR_OK : CKR_GENERAL_ERROR;
}

typedef jint (*get_vms_fn)(JavaVM **, jsize, jsize *);
typedef jint (*create_vm_fn)(JavaVM **, void **, void *);

static void *open_libjvm(void) {
    const char *homes[] = {getenv("JHSM_JAVA_HOME"), getenv("JAVA_HOME"), JHSM_BUILD_JAVA_HOME};
    for (size_t i = 0; i < sizeof(homes) / sizeof(homes[0]); i++) {
        if (homes[i] == NULL || homes[i][0] == '\0') {
            continue;
        }
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/lib/server/libjvm.so", homes[i]);
        void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
        if (h != NULL) {
            snprintf(jvm_path, sizeof(jvm_path), "%s", path);
            snprintf(jvm_home, sizeof(jvm_home), "%s", homes[i]);
            return h;
        }
    }
    fprintf(stderr, "jhsm: no JVM found: set JAVA_HOME (or JHSM_JAVA_HOME) to a JDK 17+ (tried also %s)\n",
            JHSM_BUILD_JAVA_HOME);
    return NULL;
}

/* An already running JVM: the host's. The java launcher opens libjvm RTLD_GLOBAL; embedders that
   do not are found through the same paths we would load from. */
static JavaVM *existing_vm(void) {
    get_vms_fn get_vms = (get_vms_fn) dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    if (get_vms == NULL) {
        return NULL;
    }
    JavaVM *found = NULL;
    jsize n = 0;
    if (get_vms(&found, 1, &n) != JNI_OK || n < 1) {
        return NULL;
    }
    return found;
}

static int add_option(JavaVMOption *opts, int n, const char *fmt, const char *arg) {
    if (n >= MAX_OPTIONS) {
        return n;
    }
    char buf[PATH_MAX * 3];
    snprintf(buf, sizeof(buf), fmt, arg);
    opts[n].optionString = strdup(buf);
    opts[n].extraInfo = NULL;
    return n + 1;
}

enum archive_kind { NO_ARCHIVE, CDS_ARCHIVE, AOT_CACHE };

/* Whether `path` is there with that size and, unless mtime < 0, that mtime (seconds). */
static int file_is(const char *path, long long size, long long mtime) {
    struct stat st;
    return stat(path, &st) == 0 && (long long) st.st_size == size && (mtime < 0 || (long long) st.st_mtime == mtime);
}

/* An archive is good only for the JVM build that made it and the jar it was made from. Its stamp (ARCHIVE.jvm)
   names that JVM's libjvm.so with its real path, size and mtime, then the archive's size, then the module jar's
   size and mtime. An archive of another JVM would be refused and, worse, switch off the JDK's own base archive
   too; a truncated one is mapped unchecked and kills the JVM (SIGBUS on JDK 17); and JDK 25 maps an AOT cache
   whose jar has since changed without noticing, so the shim checks the jar itself. */
static int archive_matches(const char *archive, const char *real_jvm) {
    char stamp_path[PATH_MAX + 64], stamped[PATH_MAX];
    long long size = -1, mtime = -1, archive_size = -1, jar_size = -1, jar_mtime = -1;
    snprintf(stamp_path, sizeof(stamp_path), "%s.jvm", archive);
    FILE *f = fopen(stamp_path, "r");
    if (f == NULL) {
        return 0;
    }
    int fields = fscanf(f, "%4095s %lld %lld %lld %lld %lld", stamped, &size, &mtime, &archive_size, &jar_size,
                        &jar_mtime);
    fclose(f);
    return fields == 6 && file_is(archive, archive_size, -1) && strcmp(real_jvm, stamped) == 0
           && file_is(real_jvm, size, mtime) && file_is(module_jar, jar_size, jar_mtime);
}

/* BASE.aot, the AOT cache a JDK 25+ training made, else BASE.jsa, the class archive of a JDK 17-24. */
static enum archive_kind archive_in_slot(char *archive, size_t size, const char *base, const char *real_jvm) {
    snprintf(archive, size, "%s.aot", base);
    if (archive_matches(archive, real_jvm)) {
        return AOT_CACHE;
    }
    snprintf(archive, size, "%s.jsa", base);
    return archive_matches(archive, real_jvm) ? CDS_ARCHIVE : NO_ARCHIVE;
}

/* Writes into `archive` the AOT cache or class archive for the JVM we are about to start and says which, or
   NO_ARCHIVE. Two slots are tried, no directory is scanned: jhsm beside this library, which `mvn package` fills
   for the build's JDK, then jhsm-KEY, which `jhsm archive --java-home` fills for any other JDK; KEY is the
   FNV-1a 64 hash of the real path of that JDK's libjvm.so in 16 hex digits
   (io.jhsm.conformance.abi.ClassArchiveSlot computes the same name). */
static enum archive_kind find_class_archive(char *archive, size_t size) {
    char real[PATH_MAX], base[PATH_MAX + 32];
    if (jvm_path[0] == '\0' || realpath(jvm_path, real) == NULL) {
        return NO_ARCHIVE;
    }
    snprintf(base, sizeof(base), "%s/jhsm", lib_dir);
    enum archive_kind kind = archive_in_slot(archive, size, base, real);
    if (kind != NO_ARCHIVE) {
        return kind;
    }
    uint64_t key = 0xcbf29ce484222325ULL;
    for (const unsigned char *c = (const unsigned char *) real; *c != '\0'; c++) {
        key = (key ^ *c) * 0x100000001b3ULL;
    }
    snprintf(base, sizeof(base), "%s/jhsm-%016llx", lib_dir, (unsigned long long) key);
    return archive_in_slot(archive, size, base, real);
}

/* JVM options of the user's that take class sharing in hand: then the shim offers no archive of its own (an AOT
   cache and -Xshare or -XX:SharedArchiveFile together stop the JVM from starting). */
static int user_chooses_sharing(const char *user) {
    return user != NULL && (strstr(user, "-Xshare") || strstr(user, "SharedArchiveFile") || strstr(user, "AOT"));
}

static int build_options(JavaVMOption *opts) {
    char path[PATH_MAX + 64];
    const char *extra = getenv("JHSM_CLASSPATH");
    const char *user = getenv("JHSM_JAVA_OPTS");
    int n = 0;
    snprintf(path, sizeof(path), "%s%s%s", module_jar, extra ? ":" : "", extra ? extra : "");
    n = add_option(opts, n, "-Djava.class.path=%s", path);
    n = add_option(opts, n, "%s", "-Xrs");
    /* JNA loads its native part; JDK 24+ warns on stderr of the host application otherwise. */
    n = add_option(opts, n, "%s", "--enable-native-access=ALL-UNNAMED");
    /* Without it JNA runs `ldconfig -p` at start-up to learn the library path: 0.2-0.4 s of cold load.
       The class-archive training passes the same options (ClassArchiveSlot in the conformance module). */
    n = add_option(opts, n, "%s", "-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:"
                                  "/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib");
    /* JNA's native part, which the build puts beside this library: found there, it is not inflated from the jar
       into a temporary file at every start. JNA goes on to the jar when it is missing or of another architecture. */
    n = add_option(opts, n, "-Djna.boot.library.path=%s", lib_dir);
    /* ACCP's native library (AWS-LC), which the build puts here too: loaded from here, ACCP does not extract its
       9.6 MB copy into a temporary file at every start, a file that a process exiting during the background load
       (CryptoBackend.preload) would leave behind. Without it ACCP extracts as usual. The rest of the path is the
       JVM's default, for anything else that loads a library by name. */
    snprintf(path, sizeof(path), "%s/libamazonCorrettoCryptoProvider.so", lib_dir);
    if (stat(path, &(struct stat){0}) == 0) {
        n = add_option(opts, n, "%s", "-Dcom.amazon.corretto.crypto.provider.useExternalLib=true");
        n = add_option(opts, n, "-Djava.library.path=%s:/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib", lib_dir);
    }
    enum archive_kind kind = user_chooses_sharing(user) ? NO_ARCHIVE : find_class_archive(path, sizeof(path));
    if (kind == AOT_CACHE) {
        /* JDK 25+ (JEP 483/514/515): classes loaded and linked, with the training's method profiles. A cache the
           JVM still refuses is dropped without a word on the host's output (the JVM logs there). */
        n = add_option(opts, n, "-XX:AOTCache=%s", path);
        n = add_option(opts, n, "%s", "-Xlog:aot*=off");
        n = add_option(opts, n, "%s", "-Xlog:cds*=off");
    } else {
        n = add_option(opts, n, "%s", "-Xshare:auto");
    }
    if (kind == CDS_ARCHIVE) {
        /* The JVM still checks the archive against the jar; a stale one is dropped without a word on the
           host's stdout (the JVM logs CDS warnings there), and the JDK's base archive is used alone. */
        n = add_option(opts, n, "-XX:SharedArchiveFile=%s", path);
        n = add_option(opts, n, "%s", "-Xlog:cds*=off");
    }
    n = add_option(opts, n, "-Djhsm.library=%s", lib_path);
    if (user != NULL) {
        char *copy = strdup(user), *save = NULL;
        for (char *tok = strtok_r(copy, " \t\n", &save); tok != NULL; tok = strtok_r(NULL, " \t\n", &save)) {
            n = add_option(opts, n, "%s", tok);
        }
        free(copy);
    }
    return n;
}

/* The JVM's own thread: creates the JVM, boots the bridge, then parks for the life of the process
   so the JVM always has its creating thread. Its big stack is the "main" Java thread's stack. */
static void *jvm_thread(void *arg) {
    create_vm_fn create = (create_vm_fn) arg;
    JavaVMOption opts[MAX_OPTIONS];
    JavaVMInitArgs args = {.version = JNI_VERSION_1_8, .options = opts, .ignoreUnrecognized = JNI_FALSE};
    args.nOptions = build_options(opts);
    JNIEnv *env = NULL;
    JavaVM *created = NULL;
    jint rc = create(&created, (void **) &env, &args);
    if (rc != JNI_OK) {
        fprintf(stderr, "jhsm: JNI_CreateJavaVM failed (%d); check JHSM_JAVA_OPTS and JAVA_HOME\n", (int) rc);
        set_state(FAILED);
        return NULL;
    }
    vm = created;
    jhsm_jvm_pid = getpid();
    watch_forks();
    jhsm_signals_after_jvm();
    set_state(run_bootstrap(env) == CKR_OK ? READY : FAILED);
    static pthread_mutex_t park = PTHREAD_MUTEX_INITIALIZER;
    static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
    pthread_mutex_lock(&park);
    for (;;) {
        pthread_cond_wait(&never, &park);
    }
    return NULL;
}

static int boot_timeout_seconds(void) {
    const char *s = getenv("JHSM_BOOT_TIMEOUT");
    int t = s ? atoi(s) : 0;
    return t > 0 ? t : 60;
}

/* Called with lock held. Starts the JVM thread, or attaches to the host's JVM and boots inline. */
static void start_locked(void) {
    locate_library();
    pthread_key_create(&detach_key, detach_at_exit);
    JavaVM *host = existing_vm();
    if (host != NULL) {
        vm = host;
        jhsm_jvm_pid = getpid();
        watch_forks();
        __atomic_store_n(&state, BOOTING, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&lock);
        jhsm_attach_slow();
        JNIEnv *env = NULL;
        int ok = (*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) == JNI_OK && run_bootstrap(env) == CKR_OK;
        pthread_mutex_lock(&lock);
        __atomic_store_n(&state, ok ? READY : FAILED, __ATOMIC_RELEASE);
        pthread_cond_broadcast(&changed);
        return;
    }
    void *libjvm = open_libjvm();
    create_vm_fn create = libjvm ? (create_vm_fn) dlsym(libjvm, "JNI_CreateJavaVM") : NULL;
    if (create != NULL) {
        /* Before the JVM sets its handlers, so that libjsig sees it do so. Not for a host's JVM (above). */
        jhsm_signals_chain(jvm_home);
    }
    pthread_attr_t attr;
    pthread_t thread;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 16UL * 1024 * 1024);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (create == NULL || pthread_create(&thread, &attr, jvm_thread, (void *) create) != 0) {
        __atomic_store_n(&state, FAILED, __ATOMIC_RELEASE);
    } else {
        __atomic_store_n(&state, BOOTING, __ATOMIC_RELEASE);
    }
    pthread_attr_destroy(&attr);
}

CK_RV jhsm_ensure_java(void) {
    if (jhsm_java_ready()) {
        return CKR_OK;
    }
    pthread_mutex_lock(&lock);
    if (state == NOT_STARTED) {
        start_locked();
    }
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += boot_timeout_seconds();
    int timed_out = 0;
    while (state == BOOTING && !timed_out) {
        timed_out = pthread_cond_timedwait(&changed, &lock, &deadline) == ETIMEDOUT;
    }
    int s = state;
    pthread_mutex_unlock(&lock);
    if (s == READY) {
        return CKR_OK;
    }
    if (timed_out) {
        fprintf(stderr, "jhsm: the JVM did not start within %d s (JHSM_BOOT_TIMEOUT)\n", boot_timeout_seconds());
    } else {
        fprintf(stderr, "jhsm: the JVM could not be started (see above)\n");
    }
    return CKR_GENERAL_ERROR;
}

void jhsm_attach_slow(void) {
    if (vm == NULL) {
        return;
    }
    JNIEnv *env = NULL;
    jint rc = (*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8);
    if (rc == JNI_EDETACHED) {
        JavaVMAttachArgs args = {JNI_VERSION_1_8, "jhsm-caller", NULL};
        if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **) &env, &args) != JNI_OK) {
            return;
        }
        pthread_setspecific(detach_key, vm);
    } else if (rc != JNI_OK) {
        return;
    }
    jhsm_thread_attached = 1;
}
