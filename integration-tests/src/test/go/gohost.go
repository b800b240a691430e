// A Go host using a PKCS#11 module through cgo (GoHostTest): C_GetFunctionList, C_Initialize, then
// C_GenerateRandom in a loop on four goroutines, with Go's collector and its SIGURG preemption running beside
// the JVM; then a nil dereference in Go code, which must stay a panic that recover() sees, although the JVM's
// SIGSEGV handler now comes first. Only the standard library: nothing is downloaded.
// Usage: gohost MODULE CALLS_PER_GOROUTINE
package main

/*
#cgo CFLAGS: -I/usr/include/p11-kit-1
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
#include <p11-kit/pkcs11.h>
static CK_FUNCTION_LIST *f;
static CK_RV load(const char *path) {
    void *h = dlopen(path, RTLD_NOW);
    if (!h) return 0x1000;
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    if (!get) return 0x1002;
    CK_RV rv = get(&f);
    return rv ? rv : f->C_Initialize(NULL);
}
static CK_RV open_session(CK_SESSION_HANDLE *s) {
    CK_SLOT_ID slots[8]; CK_ULONG n = 8;
    CK_RV rv = f->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv || n == 0) return rv ? rv : 0x1001;
    return f->C_OpenSession(slots[0], CKF_SERIAL_SESSION, NULL, NULL, s);
}
static CK_RV random_bytes(CK_SESSION_HANDLE s, unsigned char *buf, CK_ULONG len) { return f->C_GenerateRandom(s, buf, len); }
static CK_RV finalize(void) { return f->C_Finalize(NULL); }
*/
import "C"

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"unsafe"
)

func main() {
	path := C.CString(os.Args[1])
	defer C.free(unsafe.Pointer(path))
	if rv := C.load(path); rv != 0 {
		fmt.Printf("load/C_Initialize: 0x%x\n", uint64(rv))
		os.Exit(1)
	}
	calls, _ := strconv.Atoi(os.Args[2])
	var wg sync.WaitGroup
	failures := make(chan string, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s C.CK_SESSION_HANDLE
			if rv := C.open_session(&s); rv != 0 {
				failures <- fmt.Sprintf("C_OpenSession: 0x%x", uint64(rv))
				return
			}
			buf := make([]byte, 4096)
			for i := 0; i < calls; i++ {
				if rv := C.random_bytes(s, (*C.uchar)(unsafe.Pointer(&buf[0])), C.CK_ULONG(len(buf))); rv != 0 {
					failures <- fmt.Sprintf("C_GenerateRandom: 0x%x", uint64(rv))
					return
				}
				_ = make([]byte, 16384) // garbage for Go's collector too
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		fmt.Println("FAIL:", f)
		os.Exit(1)
	}
	func() {
		defer func() { fmt.Println("recovered Go panic:", recover()) }()
		var p *int
		*p = 1
	}()
	fmt.Println("C_Finalize:", uint64(C.finalize()))
	fmt.Printf("go host: %d calls on 4 goroutines OK\n", 4*calls)
}
