package io.jhsm.bridge;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Whether an address is mapped in this process, asked of the kernel (mincore(2)) rather than by
 * reading it: for the rare field whose meaning depends on whether it holds a pointer, where a wrong
 * guess must not crash the host application.
 */
final class AddressProbe {
    private AddressProbe() {}

    /** Above this, an x86-64/AArch64 address is not in the default user address space. */
    static final long USER_SPACE_END = 1L << 47;
    /** Linux never maps the lowest 64 KiB by default (vm.mmap_min_addr), so nothing below is a pointer. */
    static final long MIN_MAPPED = 1L << 16;
    private static final int SC_PAGESIZE = 30;
    private static final long PAGE = Function.getFunction("c", "sysconf").invokeLong(new Object[] {SC_PAGESIZE});

    /** True when every byte of [address, address + length) lies in mapped memory. */
    static boolean mapped(long address, int length) {
        if (address < MIN_MAPPED || address >= USER_SPACE_END - length || PAGE <= 0) {
            return false;
        }
        long start = address & -PAGE;
        long span = address + length - start;
        Memory vec = new Memory((span + PAGE - 1) / PAGE);
        int rc = Function.getFunction("c", "mincore").invokeInt(new Object[] {new Pointer(start), span, vec});
        return rc == 0;
    }
}
