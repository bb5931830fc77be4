//! What one sheet of a verified packet does to the master (SPEC §6): a sheet the master lacks
//! is added; one equal to the master's is confirmed; a submitted sheet that differs from the
//! master's is a conflict for the head judge or organiser — never a silent overwrite. Nothing
//! already in the master is lost by any merge.

use crate::model::{Fixed, Sheet, SheetStatus};

use super::packet::PacketSheet;

pub use crate::model::FROM_PACKET;

/// The effect of one packet sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The master has no counted sheet (none, or only a draft): the packet's sheet is stored.
    Add,
    /// The master's submitted sheet (entered on the master: a paper copy typed in, an
    /// import) has the same values: it becomes confirmed.
    Confirm,
    /// The master already holds the same values — confirmed, or from a packet (an earlier
    /// packet of the same station carried it): nothing to do, so the order of packets does
    /// not matter.
    Same,
    /// The master's counted (or voided) sheet differs: listed as a conflict.
    Conflict,
    /// A draft in the packet: information only, never written.
    Skip,
}

/// A packet sheet's values as the master stores them: (criteria, total), or why they are
/// not numbers.
pub fn values(sheet: &PacketSheet) -> Result<(Vec<Option<Fixed>>, Fixed), String> {
    let criteria = sheet
        .criteria
        .iter()
        .map(|c| c.as_deref().map(Fixed::parse).transpose())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}/{}: {e}", sheet.event, sheet.contestant))?;
    let total = Fixed::parse(&sheet.total)
        .map_err(|e| format!("{}/{}: {e}", sheet.event, sheet.contestant))?;
    Ok((criteria, total))
}

/// Whether two sheets hold the same scores (criteria where both have them, and the total).
fn same_values(criteria: &[Option<Fixed>], total: Fixed, master: &Sheet) -> bool {
    total == master.total && (master.criteria.is_empty() || master.criteria == criteria)
}

/// The effect of a packet sheet (`submitted`, with these values) on the master's sheet for the
/// same (event, contestant, judge), if any.
pub fn effect(
    submitted: bool,
    criteria: &[Option<Fixed>],
    total: Fixed,
    master: Option<&Sheet>,
) -> Effect {
    if !submitted {
        return Effect::Skip;
    }
    match master {
        None => Effect::Add,
        Some(m) if m.status == SheetStatus::Draft => Effect::Add,
        Some(m) if m.status == SheetStatus::Voided => Effect::Conflict,
        Some(m) if !same_values(criteria, total, m) => Effect::Conflict,
        Some(m) if m.status == SheetStatus::Confirmed => Effect::Same,
        Some(m) if m.entered_by.starts_with(FROM_PACKET) => Effect::Same,
        Some(_) => Effect::Confirm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master(status: SheetStatus, total: i64) -> Sheet {
        Sheet {
            event: "E05".into(),
            contestant: "JS1".into(),
            judge: "PW1".into(),
            criteria: vec![Some(Fixed::from_int(total))],
            total: Fixed::from_int(total),
            status,
            entered_by: "organiser".into(),
            entered_at: String::new(),
        }
    }

    #[test]
    fn the_merge_never_overwrites_a_counted_sheet() {
        let c = [Some(Fixed::from_int(80))];
        let t = Fixed::from_int(80);
        assert_eq!(effect(true, &c, t, None), Effect::Add);
        assert_eq!(
            effect(true, &c, t, Some(&master(SheetStatus::Draft, 70))),
            Effect::Add
        );
        assert_eq!(
            effect(true, &c, t, Some(&master(SheetStatus::Submitted, 80))),
            Effect::Confirm
        );
        assert_eq!(
            effect(true, &c, t, Some(&master(SheetStatus::Confirmed, 80))),
            Effect::Same
        );
        assert_eq!(
            effect(true, &c, t, Some(&master(SheetStatus::Submitted, 81))),
            Effect::Conflict
        );
        assert_eq!(
            effect(true, &c, t, Some(&master(SheetStatus::Voided, 80))),
            Effect::Conflict
        );
        assert_eq!(effect(false, &c, t, None), Effect::Skip);
        let mut from_packet = master(SheetStatus::Submitted, 80);
        from_packet.entered_by = format!("{FROM_PACKET}d1");
        assert_eq!(effect(true, &c, t, Some(&from_packet)), Effect::Same);
    }
}
