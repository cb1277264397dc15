//! The rule files: `schema.toml` (types and predicates), `entities/*.toml`
//! (gazetteer, name patterns, coreference words, person titles) and
//! `relations/*.toml` (relation rules). Loading validates everything and
//! compiles the relation patterns; every error names file, line, column and rule.

use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// First private-use code point: a mention of type `i` is written as
/// `PLACEHOLDER_BASE + i` in the sentence the relation patterns run on.
pub const PLACEHOLDER_BASE: u32 = 0xE000;

/// Whether `c` is the placeholder of a mention in a rewritten sentence.
pub fn is_placeholder(c: char) -> bool {
    (PLACEHOLDER_BASE..PLACEHOLDER_BASE + 256).contains(&(c as u32))
}
pub const MAX_TYPES: usize = 32;

/// A rule-file error: `file:line:column: rule X: message`, or `file: message`
/// when no line applies (a file that cannot be read).
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {}{}", file.display(), if *line == 0 { String::new() } else { format!(":{line}:{column}") }, rule.as_ref().map(|r| format!("rule {r}: ")).unwrap_or_default(), message)]
pub struct RuleError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub rule: Option<String>,
    pub message: String,
}

// ---------------------------------------------------------------- schema

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    pub name: String,
    pub label: String,
    #[serde(default)]
    pub label_en: String,
    #[serde(default = "default_shape")]
    pub shape: String,
    #[serde(default = "default_color")]
    pub color: String,
}
fn default_shape() -> String {
    "ellipse".into()
}
fn default_color() -> String {
    "#dddddd".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredicateDef {
    pub name: String,
    pub label: String,
    #[serde(default)]
    pub label_en: String,
    pub domain: Vec<String>,
    pub range: Vec<String>,
    #[serde(default)]
    pub symmetric: bool,
    /// Words that signal the relation; `coverage` lists sentences with a cue
    /// and two mentions that no rule turned into a triple.
    #[serde(default)]
    pub cues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    #[serde(default)]
    source: String,
    #[serde(rename = "type")]
    types: Vec<Spanned<TypeDef>>,
    #[serde(rename = "predicate")]
    predicates: Vec<Spanned<PredicateDef>>,
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub types: Vec<TypeDef>,
    pub predicates: Vec<PredicateDef>,
}

impl Schema {
    pub fn type_index(&self, name: &str) -> Option<usize> {
        self.types.iter().position(|t| t.name == name)
    }
    pub fn predicate_index(&self, name: &str) -> Option<usize> {
        self.predicates.iter().position(|p| p.name == name)
    }
    pub fn placeholder(&self, ty: usize) -> char {
        char::from_u32(PLACEHOLDER_BASE + ty as u32).expect("type index below MAX_TYPES")
    }
    /// The type a placeholder stands for, if `c` is one of this schema's.
    pub fn placeholder_type(&self, c: char) -> Option<usize> {
        (c as u32).checked_sub(PLACEHOLDER_BASE).map(|i| i as usize).filter(|&i| i < self.types.len())
    }
}

// ---------------------------------------------------------------- entity files

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GazetteerEntry {
    #[serde(rename = "type")]
    pub ty: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub en: String,
}

/// Names recognised by their last word (有限公司, 高新区, 实验室…); the name's
/// left edge is found by scanning left until a boundary word or punctuation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuffixRule {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub suffixes: Vec<String>,
    /// Types of known mentions directly left of the name that become part of
    /// it (a region before a company name: 厦门 + 海辰储能科技股份有限公司).
    #[serde(default)]
    pub absorb: Vec<String>,
    /// Types of known mentions that become part of the name only when more of
    /// the name stands between them and the suffix: 长虹 + 多媒体产业 + 公司 is a
    /// company of its own, 通用汽车 + 公司 is 通用汽车 itself.
    #[serde(default)]
    pub absorb_inner: Vec<String>,
    /// Minimum characters before the suffix (after absorbed mentions are removed).
    #[serde(default = "one")]
    pub min_core: usize,
    /// Minimum characters before the suffix, absorbed names included.
    #[serde(default)]
    pub min_name: usize,
    #[serde(default = "thirty")]
    pub max_len: usize,
    /// Words that make no name before this suffix (贸易 + 公司, 该 + 公司).
    #[serde(default)]
    pub generic_cores: Vec<String>,
    /// Boundary words that do not stop this kind of name (和 in 经济和信息化厅).
    #[serde(default)]
    pub keep: Vec<String>,
    /// Boundary words that do not stop this kind of name where only business
    /// words stand between them and the suffix (同心动力 + 企业 + 管理顾问有限公司,
    /// 华磊 + 企业 + 有限公司), while they stop it before a brand (鞋革企业 +
    /// 奥康集团有限公司).
    #[serde(default)]
    pub keep_before_generic: Vec<String>,
    /// Further boundary words for this kind of name only (生产 before a product).
    #[serde(default)]
    pub stop: Vec<String>,
    /// Only names that start with an absorbed mention (a place before 厅/局).
    #[serde(default)]
    pub require_absorbed: bool,
    /// A place opens the name: nothing but known names left of it (宁夏财政厅).
    #[serde(default)]
    pub place_first: bool,
    /// No verb anywhere in the name (可提高公司 is no name).
    #[serde(default)]
    pub no_verbs: bool,
    /// The words before the suffix are a brand only when jieba finds no
    /// dictionary word of two or more characters in them (林洋 + 能源 is a
    /// company, 清洁 + 能源 and 大型太阳能 + 光伏 are not).
    #[serde(default)]
    pub unknown_brand: bool,
    /// Registered legal names: a first word that reads as a verb is their
    /// brand when only business words follow it (远航 + 科技有限公司).
    #[serde(default)]
    pub registered: bool,
}
fn one() -> usize {
    1
}
fn thirty() -> usize {
    30
}

/// A regex that finds a name by its context; group `name` is the name, whose
/// left edge is trimmed at boundary words like a suffix name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamePattern {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub regex: String,
    /// The name is what the regex delimits, boundary words (的, 与…) and
    /// verbs inside it included: 能量密度300Wh/kg的电芯. Otherwise its start
    /// moves past boundary words and it ends before a verb.
    #[serde(default)]
    pub whole: bool,
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Resolve {
    /// The topic (subject) of the current or a recent sentence.
    Topic,
    /// A demonstrative (该公司, 这家企业): the topic of its own sentence if
    /// one stands before it; else the name the previous sentence brought in
    /// last, seen there for the first time (…收购嘉力时(集团)有限公司。该公司…);
    /// else as `topic`.
    Introduced,
    /// The most recent mention.
    Recent,
    /// The most recent mention of an earlier sentence.
    Previous,
    /// 其: after a preposition (为其, 与其) the most recent mention, otherwise
    /// the possessor of a possessive (其位于…的工厂, 其子公司), the topic.
    Possessive,
    /// A body of the nearest place or body before it in the sentence:
    /// 清远高新区党工委副书记、管委会主任 → 清远高新区管委会.
    Compose,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorefRule {
    pub id: String,
    pub types: Vec<String>,
    pub words: Vec<String>,
    pub resolve: Resolve,
    /// Only at the start of a clause (公司 alone means "the company" there only).
    #[serde(default)]
    pub clause_start: bool,
    /// With `clause_start`: words after which the word also counts.
    #[serde(default)]
    pub after: Vec<String>,
    /// Words containing the coreference word that are no coreference (其中).
    #[serde(default)]
    pub not_in: Vec<String>,
    /// With `compose`: the types of the mention the word attaches to.
    #[serde(default)]
    pub base_types: Vec<String>,
}

/// 双方 / 三方: the parties of the latest "A与B…" in the document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRule {
    pub id: String,
    pub words: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonConfig {
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub surnames: String,
    #[serde(default)]
    pub compound_surnames: Vec<String>,
    /// Words that follow a name (表示, 介绍, 说…): they fix its length.
    #[serde(default)]
    pub follow: Vec<String>,
    /// Verbs of taking a post: a name that opens a clause right before one of
    /// them is a person even with no title before it (王传福出任比亚迪董事长).
    #[serde(default)]
    pub post_verbs: Vec<String>,
    /// Verbs of appointing: a name right after one of them is a person, as
    /// after a title (董事会聘任李明为总经理).
    #[serde(default)]
    pub pre_verbs: Vec<String>,
    /// Words a person is addressed by after the surname instead of the given
    /// name (徐总, 王先生): like a title there (刘经理), they make the surname
    /// no name of its own.
    #[serde(default)]
    pub address_forms: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamingConfig {
    /// Left-scan stop words: a name never extends left over these.
    #[serde(default)]
    pub stop: Vec<String>,
    /// Legal-form endings stripped to derive a short name.
    #[serde(default)]
    pub legal_suffixes: Vec<String>,
    /// Business words stripped after the legal form (科技, 电子科技…).
    #[serde(default)]
    pub business_words: Vec<String>,
    /// Words that, with business words, only describe a company: a name made of
    /// them alone (投资管理有限公司) names none. Not stripped from short names.
    #[serde(default)]
    pub descriptive_words: Vec<String>,
    /// Words after an industry name that belong to it (产业, 行业).
    #[serde(default)]
    pub industry_suffixes: Vec<String>,
    /// Words before a mention that mean it is not a clause subject (与, 对, 为…).
    #[serde(default)]
    pub non_subject_before: Vec<String>,
    /// Nouns that, opening a clause, are its subject although no mention
    /// stands for them (央企, 外资, 企业…): a rule's topic slot stays empty
    /// there instead of taking the sentence's topic (此外，央企在新疆设立企业).
    #[serde(default)]
    pub subject_nouns: Vec<String>,
    /// What joins the members of a list of companies (、): a name nothing
    /// recognised, listed right after a company, is a company too when another
    /// company follows it or one of `list_ends` does (与江铃集团新能源、国机智骏达成).
    #[serde(default)]
    pub list_separators: Vec<String>,
    /// Words that close a list of companies (等, 达成, 签署…; 和/与 before a company).
    #[serde(default)]
    pub list_ends: Vec<String>,
    /// Words after a brand + business word opening a clause that make it a
    /// company even where the brand is a dictionary word (龙蟠科技拟投资…,
    /// 东方科技宣布…): what follows is something only a company does.
    #[serde(default)]
    pub company_verbs: Vec<String>,
    /// Words before a brand + business word that make it a company likewise
    /// (收购巴莫科技, 携手先导智能): what they take is a company.
    #[serde(default)]
    pub company_before: Vec<String>,
    /// Modifiers that make a known product a product of its own when written
    /// before it (大尺寸 + 电容屏), an optional bracketed specification between
    /// them (中小尺寸（4～6英寸）电容式触摸屏).
    #[serde(default)]
    pub product_modifiers: Vec<String>,
    /// Conjunctions after which a word that is no name alone takes the head
    /// of the industry or product before (汽车及零部件: 汽车零部件).
    #[serde(default)]
    pub shared_head_conjunctions: Vec<String>,
    /// Words that deny what a match states (并未, 尚未, 暂停…): a match that
    /// one stands in, or before in the same clause, yields no triple
    /// (长丰家具厂并未给达芬奇家具公司供货, 暂停关于X收购Y).
    #[serde(default)]
    pub negations: Vec<String>,
    /// Words that take back, later in the same sentence, what a match states
    /// (X与Y合作的传闻不实, 收购一事被双方否认): no triple.
    #[serde(default)]
    pub denials: Vec<String>,
    /// Words that, right after a mention in a relation's slot, make it the
    /// owner of what the sentence is about, not a party itself: its people or
    /// holders (雀巢和徐福记的创始家族签约: 的创始家族, 的股东) or what it runs
    /// (凯雷管理的基金: 管理的, 旗下的).
    #[serde(default)]
    pub owner_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityFile {
    #[serde(default)]
    source: String,
    #[serde(default)]
    entity: Vec<Spanned<GazetteerEntry>>,
    #[serde(default)]
    suffix: Vec<Spanned<SuffixRule>>,
    #[serde(default)]
    pattern: Vec<Spanned<NamePattern>>,
    #[serde(default)]
    coref: Vec<Spanned<CorefRule>>,
    #[serde(default)]
    group: Vec<Spanned<GroupRule>>,
    person: Option<PersonConfig>,
    naming: Option<NamingConfig>,
}

// ---------------------------------------------------------------- relation files

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRuleDef {
    pub id: String,
    pub predicate: String,
    pub pattern: String,
    pub subject: String,
    pub object: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub counter_examples: Vec<String>,
    /// Words that must not follow a match (what regex cannot look ahead
    /// for): 收购Y持有的… buys something of Y's, not Y.
    #[serde(default)]
    pub not_followed_by: Vec<String>,
    /// Words that must not come right before a match: 超越/取代 + X成为…
    /// makes X the one overtaken, not the subject.
    #[serde(default)]
    pub not_preceded_by: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationFile {
    #[serde(default)]
    source: String,
    rule: Vec<Spanned<RelationRuleDef>>,
}

/// Where a rule was written.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct Slot {
    /// Bit `i` set: a mention of type `i` fills the slot.
    pub types: u32,
    pub enumeration: bool,
    /// `{name:Type*}`: every mention of the types in the group is a member,
    /// whatever words stand between them (以A、B为主的C和包括D在内的E).
    pub scattered: bool,
    pub topic: bool,
    /// For enumerations: finds the next member after a separator.
    pub next_member: Option<Regex>,
}

#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub def: RelationRuleDef,
    pub origin: Origin,
    pub predicate: usize,
    /// The compiled pattern: over one byte per character where it can be
    /// (see [`crate::coded`]), behind a relaxed gate (see [`relaxed`]).
    pub matcher: crate::coded::Matcher,
    pub slots: HashMap<String, Slot>,
    /// The pattern's slots and literal parts, in order.
    pub elements: Vec<Element>,
}

/// Everything in `rules/`, loaded and validated.
#[derive(Debug)]
pub struct RuleSet {
    pub dir: PathBuf,
    pub schema: Schema,
    pub gazetteer: Vec<(GazetteerEntry, Origin)>,
    pub suffixes: Vec<SuffixRule>,
    pub patterns: Vec<(NamePattern, crate::coded::Matcher, Origin)>,
    pub corefs: Vec<CorefRule>,
    pub groups: Vec<GroupRule>,
    pub person: PersonConfig,
    pub naming: NamingConfig,
    pub rules: Vec<CompiledRule>,
    /// `source` of every file: where its facts come from.
    pub sources: Vec<(PathBuf, String)>,
}

/// Line and column (both from 1, the column in characters) of a byte offset;
/// `line_starts` are the byte offsets where the text's lines begin.
fn line_col(text: &str, line_starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = line_starts.partition_point(|&s| s <= offset).max(1);
    let col = text[line_starts[line - 1]..offset].chars().count() + 1;
    (line, col)
}

struct FileCtx<'a> {
    path: &'a Path,
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> FileCtx<'a> {
    fn new(path: &'a Path, text: &'a str) -> FileCtx<'a> {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        FileCtx { path, text, line_starts }
    }
    fn err(&self, span: std::ops::Range<usize>, rule: Option<&str>, message: impl Into<String>) -> RuleError {
        let (line, column) = line_col(self.text, &self.line_starts, span.start);
        RuleError { file: self.path.to_path_buf(), line, column, rule: rule.map(str::to_string), message: message.into() }
    }
    fn origin(&self, span: std::ops::Range<usize>) -> Origin {
        let (line, column) = line_col(self.text, &self.line_starts, span.start);
        Origin { file: self.path.to_path_buf(), line, column }
    }
    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, RuleError> {
        toml::from_str(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            self.err(span, None, e.message().to_string())
        })
    }
}

/// A rule file read and parsed (its regexes compiled), before it is checked:
/// its text and what parsing made of it, or why it could not be read or parsed.
fn load_file<T>(path: &Path, parse: impl FnOnce(&FileCtx) -> Result<T, RuleError>) -> Result<(String, T), RuleError> {
    let text = read(path)?;
    let parsed = parse(&FileCtx::new(path, &text))?;
    Ok((text, parsed))
}

/// A name pattern's regex, compiled for the recognizer.
fn compile_name_pattern(regex: &str) -> Result<crate::coded::Matcher, String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(regex).map_err(|e| e.to_string())?;
    crate::coded::Matcher::new(&hir, regex.to_string())
}

fn read(path: &Path) -> Result<String, RuleError> {
    std::fs::read_to_string(path).map_err(|e| RuleError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        rule: None,
        message: format!("cannot read rule file: {e}"),
    })
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let rd = std::fs::read_dir(dir).map_err(|e| RuleError {
        file: dir.to_path_buf(),
        line: 0,
        column: 0,
        rule: None,
        message: format!("cannot read rule directory: {e}"),
    })?;
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"))
        .collect();
    v.sort();
    Ok(v)
}

impl RuleSet {
    /// Loads `dir/schema.toml`, `dir/entities/*.toml` and `dir/relations/*.toml`.
    pub fn load(dir: &Path) -> Result<RuleSet, RuleError> {
        let schema_path = dir.join("schema.toml");
        let text = read(&schema_path)?;
        let ctx = FileCtx::new(&schema_path, &text);
        let sf: SchemaFile = ctx.parse()?;
        let mut sources = vec![(schema_path.clone(), sf.source.clone())];
        if sf.types.len() > MAX_TYPES {
            return Err(ctx.err(0..0, None, format!("at most {MAX_TYPES} entity types")));
        }
        let mut seen = HashSet::new();
        for t in &sf.types {
            if !seen.insert(t.get_ref().name.clone()) {
                return Err(ctx.err(t.span(), None, format!("type {} declared twice", t.get_ref().name)));
            }
        }
        let types: Vec<TypeDef> = sf.types.iter().map(|t| t.get_ref().clone()).collect();
        for p in &sf.predicates {
            for ty in p.get_ref().domain.iter().chain(&p.get_ref().range) {
                if !types.iter().any(|t| &t.name == ty) {
                    return Err(ctx.err(p.span(), None, format!("predicate {}: unknown type {ty}", p.get_ref().name)));
                }
            }
        }
        let schema = Schema { types, predicates: sf.predicates.iter().map(|p| p.get_ref().clone()).collect() };

        let mut set = RuleSet {
            dir: dir.to_path_buf(),
            schema,
            gazetteer: Vec::new(),
            suffixes: Vec::new(),
            patterns: Vec::new(),
            corefs: Vec::new(),
            groups: Vec::new(),
            person: PersonConfig::default(),
            naming: NamingConfig::default(),
            rules: Vec::new(),
            sources: Vec::new(),
        };
        set.sources.append(&mut sources);
        let mut ids: HashMap<String, Origin> = HashMap::new();
        let mut check_id = |ctx: &FileCtx, span: std::ops::Range<usize>, id: &str| -> Result<(), RuleError> {
            if let Some(o) = ids.get(id) {
                return Err(ctx.err(
                    span,
                    Some(id),
                    format!("duplicate rule id (first defined at {}:{})", o.file.display(), o.line),
                ));
            }
            ids.insert(id.to_string(), ctx.origin(span));
            Ok(())
        };

        // every rule file read, parsed and its regexes compiled at once (on
        // the current rayon pool); then checked in file order, so that the
        // problem reported is the first one in reading order, as if one file
        // after the other had been loaded
        let entity_paths = toml_files(&dir.join("entities"))?;
        // (a relations directory that cannot be read is reported after the entity files' problems)
        let relation_paths = toml_files(&dir.join("relations"));
        let relation_list = relation_paths.as_deref().unwrap_or_default();
        let (entity_files, relation_files) = {
            use rayon::prelude::*;
            let schema = &set.schema;
            rayon::join(
                || entity_paths.par_iter().map(|path| load_file(path, |ctx| ctx.parse::<EntityFile>().map(|ef| {
                    // each name pattern's regex, compiled beside the others
                    let compiled = ef.pattern.par_iter().map(|p| compile_name_pattern(&p.get_ref().regex)).collect();
                    (ef, compiled)
                }))).collect::<Vec<_>>(),
                || relation_list.par_iter().map(|path| load_file(path, |ctx| ctx.parse::<RelationFile>().map(|rf| {
                    // each rule with where it stands and its id, for the checks in order
                    let compiled = rf
                        .rule
                        .into_par_iter()
                        .map(|r| {
                            let span = r.span();
                            let def = r.into_inner();
                            let id = def.id.clone();
                            let rule = compile_rule(schema, def, ctx.origin(span.clone()));
                            (span, id, rule)
                        })
                        .collect();
                    (rf.source, compiled)
                }))).collect::<Vec<_>>(),
            )
        };

        for (path, loaded) in entity_paths.iter().zip(entity_files) {
            let (text, (ef, compiled)): (String, (EntityFile, Vec<Result<crate::coded::Matcher, String>>)) = loaded?;
            let ctx = FileCtx::new(path, &text);
            set.sources.push((path.clone(), ef.source.clone()));
            let ty_ok = |ctx: &FileCtx, span: std::ops::Range<usize>, rule: Option<&str>, ty: &str| {
                set.schema.type_index(ty).map(|_| ()).ok_or_else(|| ctx.err(span, rule, format!("unknown type {ty}")))
            };
            for e in ef.entity {
                ty_ok(&ctx, e.span(), Some(&e.get_ref().name), &e.get_ref().ty)?;
                let o = ctx.origin(e.span());
                set.gazetteer.push((e.into_inner(), o));
            }
            for s in ef.suffix {
                let r = s.get_ref();
                check_id(&ctx, s.span(), &r.id)?;
                ty_ok(&ctx, s.span(), Some(&r.id), &r.ty)?;
                for a in r.absorb.iter().chain(&r.absorb_inner) {
                    ty_ok(&ctx, s.span(), Some(&r.id), a)?;
                }
                // one suffix, one kind of name: the scan keeps one rule per suffix
                for suf in &r.suffixes {
                    if let Some(other) = set.suffixes.iter().find(|o| o.suffixes.contains(suf)) {
                        return Err(ctx.err(s.span(), Some(&r.id), format!("suffix {suf:?} is already a suffix of rule {}", other.id)));
                    }
                }
                set.suffixes.push(s.into_inner());
            }
            for (p, rx) in ef.pattern.into_iter().zip(compiled) {
                let r = p.get_ref();
                check_id(&ctx, p.span(), &r.id)?;
                ty_ok(&ctx, p.span(), Some(&r.id), &r.ty)?;
                let rx = rx.map_err(|e| ctx.err(p.span(), Some(&r.id), format!("bad regex: {e}")))?;
                if !rx.groups.contains_key("name") && !rx.groups.contains_key("list") {
                    return Err(ctx.err(p.span(), Some(&r.id), "the regex needs a group (?P<name>…) or (?P<list>…)"));
                }
                let o = ctx.origin(p.span());
                set.patterns.push((p.into_inner(), rx, o));
            }
            for c in ef.coref {
                let r = c.get_ref();
                check_id(&ctx, c.span(), &r.id)?;
                for t in r.types.iter().chain(&r.base_types) {
                    ty_ok(&ctx, c.span(), Some(&r.id), t)?;
                }
                if r.types.is_empty() {
                    return Err(ctx.err(c.span(), Some(&r.id), "a coreference rule needs at least one type"));
                }
                if (r.resolve == Resolve::Compose) == r.base_types.is_empty() {
                    return Err(ctx.err(c.span(), Some(&r.id), "base_types goes with resolve = \"compose\", and only with it"));
                }
                set.corefs.push(c.into_inner());
            }
            for g in ef.group {
                check_id(&ctx, g.span(), &g.get_ref().id)?;
                set.groups.push(g.into_inner());
            }
            if let Some(p) = ef.person {
                set.person.titles.extend(p.titles);
                set.person.surnames.push_str(&p.surnames);
                set.person.compound_surnames.extend(p.compound_surnames);
                set.person.follow.extend(p.follow);
                set.person.post_verbs.extend(p.post_verbs);
                set.person.pre_verbs.extend(p.pre_verbs);
                set.person.address_forms.extend(p.address_forms);
            }
            if let Some(n) = ef.naming {
                set.naming.stop.extend(n.stop);
                set.naming.legal_suffixes.extend(n.legal_suffixes);
                set.naming.business_words.extend(n.business_words);
                set.naming.descriptive_words.extend(n.descriptive_words);
                set.naming.industry_suffixes.extend(n.industry_suffixes);
                set.naming.non_subject_before.extend(n.non_subject_before);
                set.naming.subject_nouns.extend(n.subject_nouns);
                set.naming.list_separators.extend(n.list_separators);
                set.naming.list_ends.extend(n.list_ends);
                set.naming.company_verbs.extend(n.company_verbs);
                set.naming.company_before.extend(n.company_before);
                set.naming.product_modifiers.extend(n.product_modifiers);
                set.naming.shared_head_conjunctions.extend(n.shared_head_conjunctions);
                set.naming.negations.extend(n.negations);
                set.naming.denials.extend(n.denials);
                set.naming.owner_words.extend(n.owner_words);
            }
        }

        for (path, loaded) in relation_paths?.iter().zip(relation_files) {
            let (text, (source, compiled)): (String, (String, Vec<(std::ops::Range<usize>, String, Result<CompiledRule, String>)>)) = loaded?;
            let ctx = FileCtx::new(path, &text);
            set.sources.push((path.clone(), source));
            // the first rule in the file with a problem is the one reported
            for (span, id, rule) in compiled {
                check_id(&ctx, span.clone(), &id)?;
                set.rules.push(rule.map_err(|m| ctx.err(span, None, m))?);
            }
        }
        Ok(set)
    }

    pub fn rule(&self, id: &str) -> Option<&CompiledRule> {
        self.rules.iter().find(|r| r.def.id == id)
    }
}

/// Adverbials that may open a clause before its subject (目前，近来…).
pub const TOPIC_ADVERBIALS: [&str; 18] = ["目前", "近来", "近日", "近期", "此外", "同时", "另外", "今年", "去年", "日前", "随后", "因此", "据悉", "据了解", "而", "但", "并且", "其后"];

fn topic_adverbial() -> String {
    format!("(?:{})?", TOPIC_ADVERBIALS.join("|"))
}

/// Separators between the members of an enumeration (A、B和C).
/// Between enumeration members, with an optional quantity word before the
/// next one (A、B与少量C: "and a little C").
fn enum_sep() -> String {
    format!("(?:、|和|与|及|以及|或|同|,|，)(?:{})?", QUANTITY_WORDS.join("|"))
}

/// Quantity words before a list member; the member is what follows them.
pub const QUANTITY_WORDS: [&str; 6] = ["少量", "大量", "部分", "多种", "各类", "各种"];
/// Before an enumeration member: an optional appositive such as
/// 厦门火炬高新区高新技术企业 or 全球第三大铝浆及铝粉生产企业 (it may name a
/// place or an industry, never another organisation).
fn enum_prefix(schema: &Schema) -> String {
    let mut modifiers = 0u32;
    for t in ["Park", "Region", "Industry", "Product"] {
        if let Some(i) = schema.type_index(t) {
            modifiers |= 1 << i;
        }
    }
    let m = class(schema, modifiers);
    let m = m.trim_start_matches('[').trim_end_matches(']');
    let pua = "\u{E000}-\u{E0FF}";
    // …or the parent of a subsidiary: 台湾宏齐科技股份有限公司全资子公司 + the member
    let company = schema.type_index("Company").map(|c| class(schema, 1 << c)).unwrap_or_default();
    let parent = if company.is_empty() { String::new() } else { format!("|{company}(?:的)?(?:全资|控股|旗下)?(?:子公司|孙公司)") };
    format!("(?:(?:[^、，。；：{pua}]|[{m}]){{0,14}}?(?:企业|公司|厂商|商|机构|单位){parent})?")
}

fn class(schema: &Schema, types: u32) -> String {
    let mut s = String::from("[");
    for i in 0..schema.types.len() {
        if types & (1 << i) != 0 {
            s.push(schema.placeholder(i));
        }
    }
    s.push(']');
    s
}

/// Compiles a rule pattern: `{name:Type|Type}` one mention, `{name:Type+}` an
/// enumeration (`{name:Type+、}`: joined by 、 only), `{name:Type*}` every
/// mention of the types in one phrase, `{name:Type@topic}` (first only) the
/// subject that opens the clause or, when the clause has none (a dropped
/// subject), the sentence's topic, `{gap:N}` up to N characters of the same
/// clause without mentions (`{gap:N+Type|Type}`: mentions of those types
/// allowed), `{any:N}` up to N characters of the same sentence, `{clause:N}`
/// up to N characters of the same clause, mentions included. The rest is
/// `regex` syntax.
pub fn compile_pattern(schema: &Schema, pattern: &str) -> Result<(String, HashMap<String, Slot>, Vec<Element>), String> {
    let mut out = String::new();
    let mut slots: HashMap<String, Slot> = HashMap::new();
    let mut elements: Vec<Element> = Vec::new();
    // closes the literal text before a slot as an element of its own
    let flush = |out: &str, elements: &mut Vec<Element>| {
        let done: usize = elements.iter().map(|e| e.regex.len()).sum();
        if out.len() > done {
            let lit = &out[done..];
            elements.push(Element { regex: lit.to_string(), what: format!("the text `{lit}`") });
        }
    };
    let mut rest = pattern;
    static SLOT_START: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let slot_start = SLOT_START.get_or_init(|| Regex::new(r"^\{([A-Za-z_][A-Za-z0-9_]*):([^{}]*)\}").expect("static regex"));
    let mut first = true;
    while !rest.is_empty() {
        if rest.starts_with('{') {
            if let Some(c) = slot_start.captures(rest) {
                let name = c[1].to_string();
                let spec = c[2].trim();
                let whole = c[0].len();
                if name == "gap" || name == "any" || name == "clause" {
                    flush(&out, &mut elements);
                    // {gap:N+Type|Type}: a gap in which mentions of those types may stand
                    let (count, admit) = match spec.split_once('+') {
                        Some((c, types)) if name == "gap" => (c.trim(), Some(types)),
                        _ => (spec, None),
                    };
                    let n: usize = count.parse().map_err(|_| format!("{{{name}:N}} needs a number, not {spec:?}"))?;
                    if let Some(types) = admit {
                        let mut mask = 0u32;
                        for t in types.split('|').map(str::trim) {
                            mask |= 1 << schema.type_index(t).ok_or_else(|| format!("{{gap:{spec}}}: unknown type {t:?}"))?;
                        }
                        out.push_str(&format!("(?:[^，。；！？：;!?\u{E000}-\u{E0FF}]|{}){{0,{n}}}?", class(schema, mask)));
                    } else if name == "gap" {
                        out.push_str(&format!("[^，。；！？：;!?\u{E000}-\u{E0FF}]{{0,{n}}}?"));
                    } else if name == "clause" {
                        out.push_str(&format!("[^，。；！？：,;]{{0,{n}}}?"));
                    } else {
                        out.push_str(&format!("[^。；！？]{{0,{n}}}?"));
                    }
                    let done: usize = elements.iter().map(|e| e.regex.len()).sum();
                    elements.push(Element { regex: out[done..].to_string(), what: format!("{{{name}:{spec}}}") });
                    rest = &rest[whole..];
                    first = false;
                    continue;
                }
                flush(&out, &mut elements);
                let written = spec;
                let (spec, topic) = match spec.strip_suffix("@topic") {
                    Some(s) => (s, true),
                    None => (spec, false),
                };
                // `+、`: an enumeration joined by 、 only (与/和 may mean "with" there)
                let (spec, list_only) = match spec.strip_suffix("+、") {
                    Some(s) => (format!("{s}+"), true),
                    None => (spec.to_string(), false),
                };
                let spec = spec.as_str();
                let (spec, enumeration) = match spec.strip_suffix('+') {
                    Some(s) => (s, true),
                    None => (spec, false),
                };
                let (spec, scattered) = match spec.strip_suffix('*') {
                    Some(s) if !enumeration => (s, true),
                    _ => (spec, false),
                };
                let sep = if list_only { "(?:、)".to_string() } else { enum_sep() };
                if topic && !first {
                    return Err(format!("slot {name}: @topic only as the first element of a pattern"));
                }
                if topic && (enumeration || scattered) {
                    return Err(format!("slot {name}: a topic is one entity, not an enumeration"));
                }
                let mut types = 0u32;
                for t in spec.split('|').map(str::trim) {
                    let i = schema.type_index(t).ok_or_else(|| format!("slot {name}: unknown type {t:?}"))?;
                    types |= 1 << i;
                }
                if slots.contains_key(&name) {
                    return Err(format!("slot {name} used twice"));
                }
                let cls = class(schema, types);
                let mut next_member = None;
                if topic {
                    // the clause's own subject when it opens the clause, else the topic
                    // (a parent before its subsidiary opens the clause too: X全资子公司Y拟…)
                    out.push_str(&format!("(?:^|[，；：,;:]){}(?:(?:.{{1,8}}?(?:的)?(?:全资|控股)?(?:子公司|孙公司))?(?P<{name}>{cls}))?", topic_adverbial()));
                } else if scattered {
                    // mentions of the types with up to 12 characters of the same clause between
                    out.push_str(&format!("(?P<{name}>{cls}(?:[^，。；！？：\u{E000}-\u{E0FF}]{{0,12}}?{cls})*)"));
                } else if enumeration {
                    let prefix = enum_prefix(schema);
                    out.push_str(&format!("{prefix}(?P<{name}>{cls}(?:{sep}{prefix}{cls})*)"));
                    next_member = Some(member_regex(&format!("^{sep}{prefix}({cls})"))?);
                } else {
                    out.push_str(&format!("(?P<{name}>{cls})"));
                }
                let done: usize = elements.iter().map(|e| e.regex.len()).sum();
                elements.push(Element {
                    regex: out[done..].to_string(),
                    what: format!("slot {{{name}:{written}}}: a mention of type {spec}"),
                });
                slots.insert(name, Slot { types, enumeration, scattered, topic, next_member });
                rest = &rest[whole..];
                first = false;
                continue;
            }
        }
        let c = rest.chars().next().expect("non-empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
        if !c.is_whitespace() {
            first = false;
        }
    }
    flush(&out, &mut elements);
    Ok((out, slots, elements))
}

/// One piece of a compiled pattern, for explaining why a rule did not match.
#[derive(Debug, Clone)]
pub struct Element {
    pub regex: String,
    pub what: String,
}

/// The regex that finds the next member of an enumeration. Slots of the same
/// types share one: compiled once per process, not once per rule.
fn member_regex(rx: &str) -> Result<Regex, String> {
    static MEMBERS: std::sync::OnceLock<std::sync::Mutex<HashMap<String, Regex>>> = std::sync::OnceLock::new();
    let mut memo = MEMBERS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = memo.get(rx) {
        return Ok(r.clone());
    }
    let r = Regex::new(rx).map_err(|e| e.to_string())?;
    memo.insert(rx.to_string(), r.clone());
    Ok(r)
}

fn compile_rule(schema: &Schema, def: RelationRuleDef, origin: Origin) -> Result<CompiledRule, String> {
    let id = def.id.clone();
    let e = |m: String| format!("rule {id}: {m}");
    let predicate = schema.predicate_index(&def.predicate).ok_or_else(|| e(format!("unknown predicate {:?}", def.predicate)))?;
    let (rx, slots, elements) = compile_pattern(schema, &def.pattern).map_err(e)?;
    let hir = regex_syntax::ParserBuilder::new().build().parse(&rx).map_err(|err| e(format!("bad regex in pattern: {err}")))?;
    let matcher = crate::coded::Matcher::new(&hir, rx).map_err(|err| e(format!("bad regex in pattern: {err}")))?;
    let pd = &schema.predicates[predicate];
    for (which, slot_name, allowed) in [("subject", &def.subject, &pd.domain), ("object", &def.object, &pd.range)] {
        let slot = slots.get(slot_name).ok_or_else(|| e(format!("{which} {slot_name:?} is not a slot of the pattern")))?;
        for (i, t) in schema.types.iter().enumerate() {
            if slot.types & (1 << i) != 0 && !allowed.contains(&t.name) {
                return Err(e(format!(
                    "{which} slot {slot_name} admits {} but {} takes only {} there",
                    t.name,
                    pd.name,
                    allowed.join("|")
                )));
            }
        }
    }
    if def.subject == def.object {
        return Err(e("subject and object are the same slot".into()));
    }
    for (field, words) in [("not_followed_by", &def.not_followed_by), ("not_preceded_by", &def.not_preceded_by)] {
        if words.iter().any(|w| w.is_empty()) {
            return Err(e(format!("{field} holds an empty word, which would veto every match")));
        }
    }
    if let Some(role) = &def.role {
        if !matcher.groups.contains_key(role) {
            return Err(e(format!("role group (?P<{role}>…) is not in the pattern")));
        }
    }
    Ok(CompiledRule { def, origin, predicate, matcher, slots, elements })
}

/// Literal sets that a compiled pattern cannot match without: a sentence that
/// contains none of the literals of one set cannot match. The most selective
/// set is returned (longest shortest literal, then fewest literals, then the
/// one without punctuation), or None when the pattern has no such required
/// part. Placeholders (mentions) do not count as literal text.
pub fn required_literals(regex: &str) -> Option<Vec<String>> {
    required_literals_of(&regex_syntax::ParserBuilder::new().build().parse(regex).ok()?)
}

/// [`required_literals`] of a parsed regex.
pub fn required_literals_of(hir: &regex_syntax::hir::Hir) -> Option<Vec<String>> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn usable(set: &[String]) -> bool {
        !set.is_empty() && set.iter().all(|s| !s.is_empty() && !s.chars().any(is_placeholder))
    }
    // how selective a set is: bigger is better
    fn score(set: &[String]) -> (usize, std::cmp::Reverse<usize>, bool) {
        let shortest = set.iter().map(|s| s.chars().count()).min().unwrap_or(0);
        let plain = set.iter().all(|s| s.chars().any(|c| c.is_alphanumeric()));
        (shortest, std::cmp::Reverse(set.len()), plain)
    }
    // the exact set of strings `h` matches, when it is a small finite set
    fn exact(h: &Hir) -> Option<Vec<String>> {
        match h.kind() {
            HirKind::Literal(l) => std::str::from_utf8(&l.0).ok().map(|s| vec![s.to_string()]),
            HirKind::Capture(c) => exact(&c.sub),
            HirKind::Alternation(alts) => {
                let mut out = Vec::new();
                for a in alts {
                    out.extend(exact(a)?);
                }
                Some(out)
            }
            HirKind::Class(Class::Unicode(u)) => {
                let n: u32 = u.ranges().iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
                if n > 16 {
                    return None;
                }
                Some(u.ranges().iter().flat_map(|r| (r.start()..=r.end()).map(|c| c.to_string())).collect())
            }
            HirKind::Concat(parts) => {
                let mut acc = vec![String::new()];
                for p in parts {
                    let a = exact(p)?;
                    if acc.len() * a.len() > 64 {
                        return None;
                    }
                    acc = acc.iter().flat_map(|x| a.iter().map(move |y| format!("{x}{y}"))).collect();
                }
                Some(acc)
            }
            _ => None,
        }
    }
    // a set of literals one of which every match of `h` contains
    fn required(h: &Hir) -> Option<Vec<String>> {
        if let Some(set) = exact(h).filter(|s| usable(s)) {
            return Some(set);
        }
        match h.kind() {
            HirKind::Capture(c) => required(&c.sub),
            HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
            HirKind::Alternation(alts) => {
                let mut out = Vec::new();
                for a in alts {
                    out.extend(required(a)?);
                }
                Some(out)
            }
            HirKind::Concat(parts) => {
                let mut best = parts.iter().filter_map(required).max_by_key(|s| score(s));
                // runs of adjacent exact parts make longer literals (建设|建|设 + 在:
                // 建设在, 建在, 设在, where each part alone would give 在)
                for i in 0..parts.len() {
                    let mut acc: Option<Vec<String>> = None;
                    for p in &parts[i..] {
                        let Some(a) = exact(p) else { break };
                        let run = match acc {
                            None => a,
                            Some(prev) if prev.len() * a.len() <= 64 => prev.iter().flat_map(|x| a.iter().map(move |y| format!("{x}{y}"))).collect(),
                            Some(_) => break,
                        };
                        if usable(&run) && best.as_ref().is_none_or(|b| score(&run) > score(b)) {
                            best = Some(run.clone());
                        }
                        acc = Some(run);
                    }
                }
                best
            }
            _ => None,
        }
    }
    required(hir).map(|mut set| {
        set.sort();
        set.dedup();
        set
    })
}

/// A regex that matches every text `regex` matches, and is cheap for a lazy
/// DFA: bounded repetitions with a range (`[^，。]{0,20}?`, `{2,8}`) become
/// unbounded (`{0,}`, `{2,}`) and groups stop capturing. A counted gap over a
/// large Unicode class makes DFA states for every combination of positions
/// inside it, so the exact regex is computed state by state on nearly every
/// sentence; the relaxed one has few states and settles in the cache. `None`
/// when no repetition changes (groups alone do not slow an `is_match`).
pub fn relaxed(regex: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(regex).ok()?;
    relaxed_hir(&hir).map(|h| h.to_string())
}

/// [`relaxed`] on a parsed regex.
pub fn relaxed_hir(hir: &regex_syntax::hir::Hir) -> Option<regex_syntax::hir::Hir> {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    fn relax(h: &Hir, changed: &mut bool) -> Hir {
        match h.kind() {
            // dropping a group alone makes no cheaper search: it does not count as a change
            HirKind::Capture(c) => relax(&c.sub, changed),
            HirKind::Repetition(r) => {
                let sub = Box::new(relax(&r.sub, changed));
                let max = match r.max {
                    Some(max) if max > r.min + 1 => {
                        *changed = true;
                        None
                    }
                    m => m,
                };
                Hir::repetition(Repetition { min: r.min, max, greedy: r.greedy, sub })
            }
            HirKind::Concat(parts) => Hir::concat(parts.iter().map(|p| relax(p, changed)).collect()),
            HirKind::Alternation(alts) => Hir::alternation(alts.iter().map(|a| relax(a, changed)).collect()),
            _ => h.clone(),
        }
    }
    let mut changed = false;
    let out = relax(hir, &mut changed);
    changed.then_some(out)
}
