//! Printing and export: certificates, result sheets, award lists, judge sheets (PDF), XLSX/CSV.

pub mod font;
