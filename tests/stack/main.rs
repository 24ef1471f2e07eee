//! Whole-stack tests: each starts the real `campusdesk up` binary on random ports with a fresh
//! data folder and drives it over HTTP (and, in `browser`, through headless Chromium).

mod api_contract;
mod browser;
mod browser_aaa;
mod browser_forms;
mod browser_jsi18n;
mod browser_languages;
mod browser_lists;
mod browser_mobile;
mod demo;
mod docs;
mod helpers;
mod import_analytics;
mod import_jobs;
mod learning;
mod mail;
mod migrate;
mod replicas;
