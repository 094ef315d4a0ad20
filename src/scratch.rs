//! Per-thread scratch buffers, reused from one line to the next so that hot paths do not
//! allocate in steady state.
//!
//! A caller declares its buffer once, as a `thread_local!` `RefCell` of a type with a
//! `Default`, and borrows it through [`with`]:
//!
//! ```text
//! thread_local! {
//!     static JSON: RefCell<String> = const { RefCell::new(String::new()) };
//! }
//! scratch::with(&JSON, |json| { json.clear(); /* ... */ });
//! ```

use std::cell::RefCell;
use std::thread::LocalKey;

/// Runs `f` with this thread's buffer in `key`. A call made while the buffer is already in
/// use (re-entrant, from inside `f`) gets a fresh `T::default()` instead of a borrow panic.
#[inline]
pub(crate) fn with<T: Default, R>(
    key: &'static LocalKey<RefCell<T>>,
    f: impl FnOnce(&mut T) -> R,
) -> R {
    key.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => f(&mut buf),
        Err(_) => f(&mut T::default()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static BUF: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    }

    #[test]
    fn reuses_the_buffer_and_survives_reentry() {
        with(&BUF, |b| b.push(1));
        with(&BUF, |b| b.push(2));
        let (outer, inner) = with(&BUF, |b| {
            let inner = with(&BUF, |fresh| {
                fresh.push(9);
                fresh.clone()
            });
            (b.clone(), inner)
        });
        assert_eq!(outer, [1, 2], "the same buffer between calls");
        assert_eq!(inner, [9], "a fresh one inside a call");
        // Other threads have buffers of their own.
        assert!(
            std::thread::spawn(|| with(&BUF, |b| b.is_empty()))
                .join()
                .unwrap()
        );
    }
}
