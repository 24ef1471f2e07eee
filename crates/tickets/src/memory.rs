//! Gives memory the service freed back to the operating system.
//!
//! glibc's allocator keeps freed memory in its arenas (one per thread that allocated, up to
//! eight per core) for later allocations, and returns a heap's pages to the system only from
//! its top. An import allocates a whole file's rows, their classifications and statements on
//! several threads at once; after it, the freed pages stayed resident: 248 MiB PSS in an idle
//! ticket service after importing a million tickets, 70 MiB after a restart (bench/README.md,
//! "Memory"). `malloc_trim(0)` (glibc, see `malloc_trim(3)`) walks every arena and hands the
//! free pages inside each heap back with `madvise(MADV_DONTNEED)`. Measured on SQLite over ten
//! imports of 20,000 tickets (61 MiB at start): 153 MiB after them without it, 70 MiB with it.

/// Asks the C allocator to return the memory it holds free to the operating system; `true`
/// when it returned some. Costs a walk of every arena with each one locked in turn, so call it
/// after a burst of allocations (an import), not per request. Does nothing and returns `false`
/// off glibc (musl, macOS), whose allocators have no such call.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub(crate) fn release_freed() -> bool {
    // SAFETY: malloc_trim takes no pointer and touches only the allocator's own free lists,
    // which it locks arena by arena against concurrent allocations.
    unsafe { libc::malloc_trim(0) == 1 }
}

/// See the glibc version above: there is nothing to ask elsewhere.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn release_freed() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::release_freed;

    #[test]
    fn returns_a_freed_block_to_the_system() {
        // 64 MiB in 4 KiB blocks (below the size from which glibc maps a block of its own and
        // unmaps it on free), then one small block above them, which keeps them from being the
        // top of the heap (free returns that part itself). Freed, they stay with the allocator
        // until trimmed.
        let blocks: Vec<Vec<u8>> = (0..16_384).map(|i| vec![(i % 251) as u8; 4096]).collect();
        let above = Box::new([1u8; 64]);
        drop(blocks);
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            assert!(release_freed(), "glibc had freed pages to return");
        } else {
            assert!(!release_freed());
        }
        assert_eq!(above[63], 1);
    }
}
