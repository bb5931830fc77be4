//! Building independent event tables on the machine's cores with scoped threads. Order is
//! kept, so results never depend on scheduling.

use std::thread;

/// At most this many threads (the target laptops have 2–8 cores).
const MAX_THREADS: usize = 4;

/// `items.iter().map(f).collect()`, split over up to [`MAX_THREADS`] threads when `parallel`.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    parallel: bool,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = if parallel {
        thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS)
            .min(items.len())
    } else {
        1
    };
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order() {
        let items: Vec<u32> = (0..37).collect();
        let expected: Vec<u32> = items.iter().map(|x| x * 2).collect();
        assert_eq!(map(&items, true, |x| x * 2), expected);
        assert_eq!(map(&items, false, |x| x * 2), expected);
    }
}
