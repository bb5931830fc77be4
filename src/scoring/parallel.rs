//! Splitting independent work (one event table each) over the machine's cores with scoped
//! threads. Order is kept, so results never depend on scheduling.

use std::thread;

/// At most this many threads (the target machines have 2–4 cores).
const MAX_THREADS: usize = 4;

fn threads(items: usize, parallel: bool) -> usize {
    if !parallel {
        return 1;
    }
    thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
        .min(items)
        .max(1)
}

/// `items.iter().map(f).collect()`, on several threads when `parallel` is set.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    parallel: bool,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads(items.len(), parallel);
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

/// `items.iter_mut().for_each(f)`, on several threads when `parallel` is set.
pub(crate) fn for_each_mut<T: Send>(items: &mut [T], parallel: bool, f: impl Fn(&mut T) + Sync) {
    let threads = threads(items.len(), parallel);
    if threads <= 1 {
        items.iter_mut().for_each(f);
        return;
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    thread::scope(|scope| {
        for part in items.chunks_mut(chunk) {
            scope.spawn(move || part.iter_mut().for_each(f));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order() {
        let items: Vec<u32> = (0..37).collect();
        let doubled = map(&items, true, |x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        let mut items = items;
        for_each_mut(&mut items, true, |x| *x += 1);
        assert_eq!(items, (1..38).collect::<Vec<u32>>());
    }
}
