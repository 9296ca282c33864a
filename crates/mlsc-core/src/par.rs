//! Data parallelism for every mlsc crate, in one place so that one feature turns it off.
//!
//! With the `parallel` feature (the default) these run on the current rayon pool (the global one, or the pool a
//! caller `install`s); without it they run in order on the calling thread, with the same results. The bounds are
//! the same either way, so code that compiles without the feature compiles with it (features must be additive).
//!
//! ```
//! let squares = mlsc_core::par::map(&[1u64, 2, 3], |x| x * x);
//! assert_eq!(squares, [1, 4, 9]);
//! let (a, b) = mlsc_core::par::join(|| 1 + 1, || "two");
//! assert_eq!((a, b), (2, "two"));
//! ```

#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// `f` applied to each item, the results in the order of `items`.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    #[cfg(feature = "parallel")]
    let out = items.par_iter().map(f).collect();
    #[cfg(not(feature = "parallel"))]
    let out = items.iter().map(f).collect();
    out
}

/// `f` applied to each item, the results in the order of `items`, or an error that `f` returned (when several
/// fail, which one is unspecified; the others may not have run).
pub fn try_map<T, R, E, F>(items: &[T], f: F) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
    F: Fn(&T) -> Result<R, E> + Sync + Send,
{
    #[cfg(feature = "parallel")]
    let out = items.par_iter().map(f).collect();
    #[cfg(not(feature = "parallel"))]
    let out = items.iter().map(f).collect();
    out
}

/// `f` run on each item, in no particular order.
pub fn for_each<T, F>(items: &[T], f: F)
where
    T: Sync,
    F: Fn(&T) + Sync + Send,
{
    #[cfg(feature = "parallel")]
    items.par_iter().for_each(f);
    #[cfg(not(feature = "parallel"))]
    items.iter().for_each(f);
}

/// Both closures run, possibly at the same time; their results.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(feature = "parallel")]
    let out = rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    let out = (a(), b());
    out
}

/// Whether this build runs the functions above in parallel (the `parallel` feature).
pub const ENABLED: bool = cfg!(feature = "parallel");

#[cfg(test)]
mod tests {
    #[test]
    fn order_is_kept_and_errors_come_back() {
        let v: Vec<u32> = (0..1000).collect();
        assert_eq!(super::map(&v, |x| x + 1), (1..1001).collect::<Vec<_>>());
        assert_eq!(super::try_map(&v, |&x| Ok::<_, ()>(x)), Ok(v.clone()));
        assert_eq!(
            super::try_map(&v, |&x| if x == 500 { Err(x) } else { Ok(x) }),
            Err(500)
        );
        let sum = std::sync::atomic::AtomicU32::new(0);
        super::for_each(&v, |&x| {
            sum.fetch_add(x, std::sync::atomic::Ordering::Relaxed);
        });
        assert_eq!(sum.into_inner(), 999 * 1000 / 2);
    }
}
