//! Certificates (荣誉证书): the template, the awards with their serial numbers, one page per
//! award, pre-printed stock with an offset, the certificate date, and the calibration page — one
//! file each.

mod awards;
mod calibration;
mod date;
mod page;
mod template;

pub use awards::*;
pub use calibration::*;
pub use date::*;
pub use page::*;
pub use template::*;

#[cfg(test)]
mod tests {
    use super::super::layout::Orientation;
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn builtin_template_parses() {
        let t = Template::parse(DEFAULT_TEMPLATE).expect("built-in template");
        assert_eq!(t.default_orientation(), Orientation::Landscape);
        assert!(name_block(&t.landscape).is_some());
        assert!(name_block(&t.portrait).is_some());
        assert!(!t.stock.blocks.is_empty());
    }

    #[test]
    fn unknown_field_is_refused() {
        let bad = DEFAULT_TEMPLATE.replace("{等次}", "{奖项}");
        let e = Template::parse(&bad).expect_err("unknown field");
        assert!(e.to_string().contains("{奖项}"), "{e}");
    }

    #[test]
    fn fills_fields() {
        let f = BTreeMap::from([("姓名", "王䶮".to_string()), ("等次", "一等奖".to_string())]);
        assert_eq!(fill("{姓名}荣获{等次}{x}", &f), "王䶮荣获一等奖{x}");
    }
}
