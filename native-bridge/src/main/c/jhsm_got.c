/*
 * Redirecting calls that loaded objects make through their GOT (global offset table): what the dynamic linker
 * would have bound had another library come first in symbol lookup (LD_PRELOAD), done after the fact for a
 * library that is dlopened. Only JUMP_SLOT and GLOB_DAT entries of the named functions are rewritten; libc, the
 * dynamic linker and the vDSO are left alone, and so is an entry bound to something other than the plain
 * function (an interposer the host chose, such as a sanitizer's).
 */
#define _GNU_SOURCE
#include <link.h>
#include <elf.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "jhsm_internal.h"

#if defined(__x86_64__)
#define JHSM_JUMP_SLOT R_X86_64_JUMP_SLOT
#define JHSM_GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define JHSM_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define JHSM_GLOB_DAT R_AARCH64_GLOB_DAT
#endif

#ifdef JHSM_JUMP_SLOT
typedef struct {
    const struct dl_phdr_info *obj;
    ElfW(Addr) relro_start, relro_end;
    const jhsm_got_redirect *redirects;
    size_t n;
} object_view;

typedef struct {
    const jhsm_got_redirect *redirects;
    size_t n;
    uintptr_t skip_base;
} pass;

int jhsm_got_supported(void) {
    return 1;
}

/* Dynamic-section addresses are relocated in place by glibc, except where it cannot (the vDSO). */
static ElfW(Addr) absolute(const object_view *o, ElfW(Addr) ptr) {
    return ptr < o->obj->dlpi_addr ? o->obj->dlpi_addr + ptr : ptr;
}

/* An entry not yet bound by lazy binding points into its own object's PLT. */
static int inside_object(const object_view *o, ElfW(Addr) value) {
    for (int i = 0; i < o->obj->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &o->obj->dlpi_phdr[i];
        ElfW(Addr) start = o->obj->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && value >= start && value < start + ph->p_memsz) {
            return 1;
        }
    }
    return 0;
}

/* Full RELRO makes the GOT read-only after relocation: open it for the one store, then close it again. */
static void store_entry(const object_view *o, void **slot, void *target) {
    ElfW(Addr) at = (ElfW(Addr)) slot;
    int in_relro = at >= o->relro_start && at < o->relro_end;
    long page = sysconf(_SC_PAGESIZE);
    void *page_start = (void *) (at & ~(ElfW(Addr)) (page - 1));
    if (in_relro && mprotect(page_start, (size_t) page, PROT_READ | PROT_WRITE) != 0) {
        return;
    }
    __atomic_store_n(slot, target, __ATOMIC_RELEASE);
    if (in_relro) {
        mprotect(page_start, (size_t) page, PROT_READ);
    }
}

static void redirect_relocations(const object_view *o, const ElfW(Rela) *rel, size_t bytes, const ElfW(Sym) *symtab,
                                 const char *strtab) {
    for (size_t k = 0; k < bytes / sizeof(ElfW(Rela)); k++) {
        unsigned long type = ELF64_R_TYPE(rel[k].r_info);
        if (type != JHSM_JUMP_SLOT && type != JHSM_GLOB_DAT) {
            continue;
        }
        const char *name = strtab + symtab[ELF64_R_SYM(rel[k].r_info)].st_name;
        for (size_t n = 0; n < o->n; n++) {
            const jhsm_got_redirect *r = &o->redirects[n];
            if (strcmp(name, r->name) != 0) {
                continue;
            }
            void **slot = (void **) (o->obj->dlpi_addr + rel[k].r_offset);
            void *value = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
            if (value != r->replacement && (value == r->plain || inside_object(o, (ElfW(Addr)) value))) {
                store_entry(o, slot, r->replacement);
            }
        }
    }
}

static int redirect_object(struct dl_phdr_info *info, size_t size, void *arg) {
    (void) size;
    const pass *p = arg;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    /* libc and the dynamic linker call their own internals; the replacement library must reach the real ones. */
    if (info->dlpi_addr == p->skip_base || strstr(name, "/libc.so") || strstr(name, "/ld-linux") || strstr(name, "vdso")) {
        return 0;
    }
    object_view o = {.obj = info, .redirects = p->redirects, .n = p->n};
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_DYNAMIC) {
            dyn = (const ElfW(Dyn) *) (info->dlpi_addr + ph->p_vaddr);
        } else if (ph->p_type == PT_GNU_RELRO) {
            o.relro_start = info->dlpi_addr + ph->p_vaddr;
            o.relro_end = o.relro_start + ph->p_memsz;
        }
    }
    ElfW(Addr) symtab = 0, strtab = 0, jmprel = 0, rela = 0;
    size_t jmprel_bytes = 0, rela_bytes = 0;
    for (; dyn != NULL && dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
            case DT_SYMTAB: symtab = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_STRTAB: strtab = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_JMPREL: jmprel = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_PLTRELSZ: jmprel_bytes = dyn->d_un.d_val; break;
            case DT_RELA: rela = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_RELASZ: rela_bytes = dyn->d_un.d_val; break;
            default: break;
        }
    }
    if (symtab == 0 || strtab == 0) {
        return 0;
    }
    const ElfW(Sym) *syms = (const ElfW(Sym) *) symtab;
    if (jmprel != 0) {
        redirect_relocations(&o, (const ElfW(Rela) *) jmprel, jmprel_bytes, syms, (const char *) strtab);
    }
    if (rela != 0) {
        redirect_relocations(&o, (const ElfW(Rela) *) rela, rela_bytes, syms, (const char *) strtab);
    }
    return 0;
}

void jhsm_got_redirect_all(const jhsm_got_redirect *redirects, size_t n, uintptr_t skip_base) {
    pass p = {redirects, n, skip_base};
    dl_iterate_phdr(redirect_object, &p);
}
#else
int jhsm_got_supported(void) {
    return 0;
}

void jhsm_got_redirect_all(const jhsm_got_redirect *redirects, size_t n, uintptr_t skip_base) {
    (void) redirects, (void) n, (void) skip_base;
}
#endif

static int count_loads(struct dl_phdr_info *info, size_t size, void *out) {
    (void) size;
    *(unsigned long long *) out = info->dlpi_adds;
    return 1;
}

unsigned long long jhsm_got_load_count(void) {
    unsigned long long adds = 0;
    dl_iterate_phdr(count_loads, &adds);
    return adds;
}
