//! Each stage on real sentences of Chinese industry news.

mod common;
use common::*;

use chainkg::corpus::Document;
use chainkg::mentions::Source;

fn mention_names(text: &str) -> Vec<(String, String)> {
    let doc = Document { id: "t".into(), text: text.into() };
    extractor()
        .analyze(&doc)
        .iter()
        .flat_map(|s| s.mentions.iter())
        .map(|m| (m.mention.surface.clone(), rules().schema.types[m.mention.ty].name.clone()))
        .collect()
}

/// Each text has a mention of each name with its type.
fn assert_names(cases: &[(&str, &str, &str)]) {
    for (text, name, ty) in cases {
        let m = mention_names(text);
        assert!(m.contains(&(name.to_string(), ty.to_string())), "{text}: no {ty} {name} in {m:?}");
    }
}

#[test]
fn legal_names_stop_at_the_appositive_before_them() {
    let m = mention_names("4月中旬，厦门火炬高新区企业厦门海辰储能科技股份有限公司研制的电池面市。");
    assert!(m.contains(&("厦门火炬高新区".into(), "Park".into())), "{m:?}");
    assert!(m.contains(&("厦门海辰储能科技股份有限公司".into(), "Company".into())), "{m:?}");
}

#[test]
fn a_bracketed_place_stays_inside_a_company_name() {
    let m = mention_names("参与此次供应商大会的安捷利电子科技（苏州）有限公司自2017年与宁德时代合作。");
    assert!(m.contains(&("安捷利电子科技（苏州）有限公司".into(), "Company".into())), "{m:?}");
    assert!(m.contains(&("宁德时代".into(), "Company".into())), "{m:?}");
}

#[test]
fn names_jieba_would_split_stay_whole() {
    // out of the box jieba cuts 宁德时代 into 宁德 / 时代
    let words: Vec<String> = extractor().recognizer.jieba().cut("宁德时代落子厦门火炬高新区", true).into_iter().map(String::from).collect();
    assert!(words.contains(&"宁德时代".to_string()), "{words:?}");
    assert!(words.contains(&"厦门火炬高新区".to_string()), "{words:?}");
}

#[test]
fn persons_are_read_after_titles_with_the_right_length() {
    let m = mention_names("海辰储能总经理王鹏程介绍，陕西理工大学副校长王磊说，宁德时代研发体系联席总裁欧阳楚英表示。");
    for name in ["王鹏程", "王磊", "欧阳楚英"] {
        assert!(m.contains(&(name.into(), "Person".into())), "{name} in {m:?}");
    }
    // 曾 is a surname, 曾表示 is no name
    let m = mention_names("国家发改委有关负责人曾表示，将加快审批。");
    assert!(!m.iter().any(|(n, _)| n == "曾表示"), "{m:?}");
}

#[test]
fn a_surname_that_is_also_a_preposition_or_conjunction_starts_a_name_only_where_one_follows() {
    // 向 and 和 are surnames and the words 向本报 (to this paper), 和总经理 (and the general manager)
    for text in ["远景电子公司相关负责人向本报透露，新厂将于年内投产。", "远景电子公司董事长和总经理出席了签约仪式。"] {
        let m = mention_names(text);
        assert!(!m.iter().any(|(_, ty)| ty == "Person"), "{text}: {m:?}");
        assert!(!triples(text).iter().any(|t| t.contains("--executive_of-->")), "{text}: {:?}", triples(text));
    }
    assert_all(&[
        ("湖南星沙重工股份有限公司总裁向文波表示，公司将扩大海外产能。", "向文波", "executive_of", "湖南星沙重工股份有限公司"),
        ("宁德时代董事长曾毓群表示，公司将扩产。", "曾毓群", "executive_of", "宁德时代新能源科技股份有限公司"),
    ]);
}

#[test]
fn abbreviations_defined_in_the_text_resolve_to_the_full_name() {
    let text = "厦门火炬高新区企业厦门海辰储能科技股份有限公司（以下简称海辰储能）研制的电池面市。在海辰储能总经理王鹏程看来，这是好时机。";
    assert!(has(text, "王鹏程", "executive_of", "厦门海辰储能科技股份有限公司"), "{:?}", triples(text));
    let r = extract(text);
    let names = r.entities.iter().find(|(k, _)| k.name == "厦门海辰储能科技股份有限公司").map(|(_, n)| n.clone()).unwrap();
    assert!(names.contains("海辰储能"), "{names:?}");
}

#[test]
fn short_names_are_derived_from_legal_names() {
    let text = "2017年，包头江馨微电机科技有限公司落户稀土高新区。今年江馨微电机又追加投资了两个项目。";
    let r = extract(text);
    let doc = Document { id: "t".into(), text: text.into() };
    let analyzed = extractor().analyze(&doc);
    let m = analyzed[1].mentions.iter().find(|m| m.mention.surface == "江馨微电机").expect("short name found");
    assert_eq!(m.mention.source, Source::Derived);
    assert_eq!(m.entities[0].name, "包头江馨微电机科技有限公司");
    assert!(!r.triples.is_empty());
}

#[test]
fn coreference_goes_to_the_subject_of_the_previous_sentence() {
    // the most recent company is 宁德时代 (and 其), but 该公司 is the topic, 安捷利
    let text = "参与此次供应商大会的安捷利电子科技（苏州）有限公司自2017年与宁德时代合作，主要为其提供信号采集服务。该公司董事长熊正峰表示，未来将到厦门发展。";
    assert!(has(text, "熊正峰", "executive_of", "安捷利电子科技（苏州）有限公司"), "{:?}", triples(text));
    assert!(has(text, "安捷利电子科技（苏州）有限公司", "supplier_of", "宁德时代新能源科技股份有限公司"), "{:?}", triples(text));
}

#[test]
fn its_after_a_comma_belongs_to_the_organisation_before_the_comma() {
    // the document is about 华锐风电; 其 after "…的金风科技，" is still 金风科技's
    let text = "华锐风电与希腊国有电力公司签署战略合作协议。华锐风电董事长韩俊良去年表示，海外营业额要超过30%。中国累计装机排名第二的金风科技，其董事长兼首席执行官武钢也提出了目标。";
    assert!(has(text, "武钢", "executive_of", "新疆金风科技股份有限公司"), "{:?}", triples(text));
    assert!(!has(text, "武钢", "executive_of", "华锐风电科技（集团）股份有限公司"), "{:?}", triples(text));
}

#[test]
fn a_clause_opened_by_a_generic_subject_takes_no_topic() {
    // 央企 is the subject of the second sentence's clause, not 华锦公司
    let text = "中国兵器工业集团华锦公司新疆化肥项目则主营尿素产业。此外，央企在新疆设立企业，增加了地方就业。";
    assert!(!triples(text).iter().any(|t| t.contains("located_in")), "{:?}", triples(text));
    // with no such noun the clause's dropped subject is the topic
    let text = "中国兵器工业集团华锦公司新疆化肥项目则主营尿素产业。此外，还在新疆设立了销售公司。";
    assert!(has(text, "中国兵器工业集团华锦公司", "located_in", "新疆维吾尔自治区"), "{:?}", triples(text));
}

#[test]
fn a_city_and_brand_joint_venture_is_not_the_brand() {
    let text = "合肥三洋董事长金友华表示，对于三洋品牌的使用没有问题。";
    assert!(has(text, "金友华", "executive_of", "合肥荣事达三洋电器股份有限公司"), "{:?}", triples(text));
    assert!(!has(text, "金友华", "executive_of", "三洋电机株式会社"), "{:?}", triples(text));
    // a dealer's store between the brand and the title: the dealer's manager
    let text = "东风日产广利店总经理郭小龙表示，今年销量增长明显。";
    assert!(!triples(text).iter().any(|t| t.contains("executive_of")), "{:?}", triples(text));
    // without the store he is the carmaker's
    let text = "东风日产总经理郭小龙表示，今年销量增长明显。";
    assert!(has(text, "郭小龙", "executive_of", "东风汽车有限公司东风日产乘用车公司"), "{:?}", triples(text));
}

#[test]
fn a_relative_clause_names_the_supplier_after_de() {
    // not the topic of the sentence before (本田) but the company the clause modifies
    let text = "此前，本田汽车上游零部件企业也发生类似事件，而为北京现代提供6个车型零部件的主力企业北京星宇车科技有限公司此前也出现过劳资冲突。";
    assert!(has(text, "北京星宇车科技有限公司", "supplier_of", "北京现代汽车有限公司"), "{:?}", triples(text));
    assert!(!triples(text).iter().any(|t| t.contains("本田") && t.contains("supplier_of")), "{:?}", triples(text));
}

#[test]
fn cooperation_after_a_comma_is_with_the_partner_named_there() {
    let text = "合肥三洋内部人士透露，公司与三洋电机的代工毛利率较低，目前公司正在加大与惠而浦、伊莱克斯的合作。";
    assert!(has(text, "合肥荣事达三洋电器股份有限公司", "cooperates_with", "惠而浦公司"), "{:?}", triples(text));
    assert!(!has(text, "合肥荣事达三洋电器股份有限公司", "cooperates_with", "三洋电机株式会社"), "{:?}", triples(text));
}

#[test]
fn a_place_before_a_brand_and_gongsi_names_a_company() {
    assert_names(&[
        // a two-character brand jieba does not know, after a country
        ("丹麦赫普公司合资组建了深圳海虹涂料有限公司。", "丹麦赫普公司", "Company"),
        // a country and a listed industry
        ("俄罗斯乌拉尔钾肥公司正积极谋划收购白俄罗斯钾肥公司。", "白俄罗斯钾肥公司", "Company"),
        // a known company and a province: its company there, not the company itself
        ("格力四川公司董事长傅必立表示，销量增长。", "格力四川公司", "Company"),
    ]);
    // a place and a dictionary word are no name
    assert!(!mention_names("这家香港上市公司表示。").iter().any(|(n, _)| n.ends_with("上市公司")));
    let text = "格力四川公司董事长傅必立表示，销量增长。";
    assert!(has(text, "傅必立", "executive_of", "格力四川公司"), "{:?}", triples(text));
}

#[test]
fn a_time_word_after_a_title_is_no_person() {
    // 周 is a surname, 周二 (Tuesday) no name
    let m = mention_names("伊拉克谷物贸易局局长周二表示，将进口小麦。");
    assert!(!m.iter().any(|(_, t)| t == "Person"), "{m:?}");
    // the same place holds a name
    let m = mention_names("伊拉克谷物贸易局局长周强表示，将进口小麦。");
    assert!(m.contains(&("周强".into(), "Person".into())), "{m:?}");
}

#[test]
fn settling_words_open_no_name() {
    let text = "“牵手”订单农业，地处无锡职教园区的华顺食品闯出了一条发展之路。";
    assert!(has(text, "华顺食品", "located_in", "无锡职教园区"), "{:?}", triples(text));
}

#[test]
fn a_name_between_an_organisation_and_a_title_is_a_person() {
    assert_all(&[
        ("工程机械代理商河南千里马集团戴灿勇董事长也不无忧虑地表示。", "戴灿勇", "executive_of", "河南千里马集团"),
        ("理性回归，是中国工程机械协会苏子孟秘书长提到的一个词语。", "苏子孟", "executive_of", "中国工程机械协会"),
    ]);
    // a department or a brand there is no person
    for text in ["鲁花集团宣传部部长表示，将扩大产能。", "苏宁易购总经理表示，将扩大品类。", "比亚迪股份有限公司董事兼总经理表示，将扩大产能。"] {
        let m = mention_names(text);
        assert!(!m.iter().any(|(_, t)| t == "Person"), "{text}: {m:?}");
    }
}

#[test]
fn a_one_character_word_that_follows_names_may_stand_inside_one() {
    // 向 follows names (负责人向本报透露) but 狄向东 is a name; 王明和 is 王明 + 和
    let text = "辽宁抚挖重工控股有限公司执行总裁狄向东在接受本报记者采访时表示，行业增速放缓。";
    assert!(has(text, "狄向东", "executive_of", "辽宁抚挖重工控股有限公司"), "{:?}", triples(text));
    let m = mention_names("董事长和总经理王明和李华出席了签约仪式。");
    assert!(m.contains(&("王明".into(), "Person".into())), "{m:?}");
}

#[test]
fn holding_after_a_known_brand_stays_in_the_name() {
    assert_names(&[("华创科技控股有限公司发布公告称，将扩大产能。", "华创科技控股有限公司", "Company")]);
    let text = "中粮糖类业务由其子公司中粮屯河运营。";
    assert!(has(text, "中粮屯河", "subsidiary_of", "中粮集团有限公司"), "{:?}", triples(text));
}

#[test]
fn gongsi_right_after_a_name_belongs_to_it() {
    assert_names(&[
        ("卓翼科技公司总经理李明表示，明年扩产。", "卓翼科技公司", "Company"),
        ("美国OSI软件公司将与韩国SAP公司合作。", "美国OSI软件公司", "Company"),
        // a trade word names a company after an unknown brand
        ("欧神诺陶瓷董事长鲍杰军表示，将加大投入。", "欧神诺陶瓷", "Company"),
    ]);
    // a known company keeps its entity
    let text = "通用汽车公司与上汽集团签署合作协议。";
    assert!(has(text, "通用汽车", "cooperates_with", "上海汽车集团股份有限公司"), "{:?}", triples(text));
}

#[test]
fn its_after_ji_is_the_organisation_before_ji() {
    let text = "Yoosung公司表示，该公司是韩国汽车制造商现代汽车公司及其子公司起亚汽车公司的重要供应商。";
    assert!(has(text, "起亚株式会社", "subsidiary_of", "现代汽车"), "{:?}", triples(text));
}

#[test]
fn products_are_read_from_what_a_company_is_engaged_in() {
    assert_all(&[
        ("交大泰阳公司主要从事多晶硅、硅锭、硅片、光伏电池等产品的研制。", "交大泰阳公司", "produces", "硅锭"),
        ("萨固密集团主要产品为汽车密封条，2010年销售额增长。", "萨固密集团", "produces", "汽车密封条"),
        ("晶科能源生产的光伏组件主要出口欧洲。", "晶科能源股份有限公司", "produces", "光伏组件"),
        // a brand jieba knows as a word is a company where the clause goes on with what companies do
        ("龙蟠科技拟投资50亿元建设年产20万吨磷酸铁锂项目。", "龙蟠科技", "produces", "磷酸铁锂"),
    ]);
    // a modifier alone is no member of the list, nor is what follows a full-width comma
    let m = mention_names("开利公司主要从事家用、商用空调的制造。萨固密集团主要产品为汽车密封条，2010年销售额增长。");
    assert!(!m.iter().any(|(n, _)| n == "家用" || n.contains("销售额")), "{m:?}");
}

#[test]
fn japanese_executives_are_persons() {
    let text = "日前，丰田汽车(中国)投资有限公司新任总经理北田真治和执行副总经理董长征接受媒体采访。";
    assert_all(&[
        (text, "北田真治", "executive_of", "丰田汽车(中国)投资有限公司"),
        (text, "董长征", "executive_of", "丰田汽车(中国)投资有限公司"),
    ]);
}

#[test]
fn a_subsidiary_named_after_its_parent_is_the_subject() {
    let text = "华友钴业子公司华友新能源科技（衢州）有限公司与LG化学签署合资协议，共同在衢州投资建设前驱体工厂。";
    assert!(has(text, "华友新能源科技（衢州）有限公司", "located_in", "衢州市"), "{:?}", triples(text));
    assert!(!has(text, "浙江华友钴业股份有限公司", "located_in", "衢州市"), "{:?}", triples(text));
}

#[test]
fn enumerations_give_one_triple_per_member() {
    let text = "西安交通大学国家技术转移中心清远分中心由西安交通大学国家技术转移中心、清远国家高新区管委会、清远华侨新材料研究院三方合作共建。";
    let t = triples(text);
    assert_eq!(t.iter().filter(|t| t.contains("co_founded_with")).count(), 3, "{t:?}");
    let text = "园区目前已聚集宁德时代、比亚迪等龙头企业。厦门火炬高新区加强与嘉庚创新实验室、生物制品创新实验室、厦门大学等高层次创新平台合作。";
    let t = triples(text);
    assert_eq!(t.iter().filter(|t| t.contains("cooperates_with")).count(), 3, "{t:?}");
}

#[test]
fn parties_of_a_previous_sentence_are_双方() {
    let text = "华友钴业与国轩高科签署合作协议。此外，双方合资8亿元设立华轩新能源材料有限公司。";
    assert!(has(text, "华轩新能源材料有限公司", "co_founded_with", "浙江华友钴业股份有限公司"), "{:?}", triples(text));
    assert!(has(text, "华轩新能源材料有限公司", "co_founded_with", "国轩高科股份有限公司"), "{:?}", triples(text));
}

#[test]
fn evidence_points_at_the_original_text() {
    let text = "另一家锂离子电池生产企业厦门新能安科技有限公司落户厦门火炬高新区后，用时一年实现试产。";
    let r = extract(text);
    let chars: Vec<char> = text.chars().collect();
    assert!(!r.triples.is_empty());
    for t in &r.triples {
        let ev = &t.evidence;
        let span: String = chars[ev.start..ev.end].iter().collect();
        assert_eq!(span, ev.text);
        assert!(ev.text.contains("落户"), "{ev:?}");
        assert_eq!(ev.rule, "located_in.settle");
    }
}

#[test]
fn full_width_latin_is_matched_like_ascii() {
    // ＴＣＬ集团 written in full-width letters
    let text = "ＴＣＬ集团董事长李东生出席签约仪式。";
    assert!(has(text, "李东生", "executive_of", "TCL科技集团股份有限公司"), "{:?}", triples(text));
}

#[test]
fn predicates_domain_and_range_hold_on_the_seed() {
    let text = std::fs::read_to_string(root().join("seeds/000_9f9d607c3aff8d2b.txt")).unwrap();
    let r = extract(&text);
    let schema = &rules().schema;
    assert!(r.triples.len() > 30);
    for t in &r.triples {
        let p = &schema.predicates[t.predicate];
        assert!(p.domain.contains(&schema.types[t.subject.ty].name), "{t:?}");
        assert!(p.range.contains(&schema.types[t.object.ty].name), "{t:?}");
    }
}

#[test]
fn every_shipped_rule_passes_its_examples() {
    let report = chainkg::check::check(extractor());
    let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(report.without_examples.is_empty(), "rules without examples: {:?}", report.without_examples);
    for (p, _, _) in &rules().patterns {
        assert!(!p.examples.is_empty(), "name pattern {} has no example", p.id);
    }
    assert!(report.examples >= report.rules);
    // rules tried on nearly every sentence are named: one with no literal at
    // all, one whose only literal is a character; a rule with a verb set is not
    let broad: Vec<&str> = report.broad.iter().map(|(id, _)| id.as_str()).collect();
    assert!(broad.contains(&"part_of.park-prefix"), "{broad:?}");
    assert!(report.broad.iter().any(|(id, lits)| id == "upstream_of.material-for" && lits == &["用"]), "{:?}", report.broad);
    assert!(!broad.contains(&"located_in.set-up-in-topic"), "{broad:?}");
}

#[test]
fn 与_after_a_subsidiary_means_with_not_and() {
    let text = "武钢集团旗下武钢国际资源开发投资公司与澳洲RML公司签订协议。";
    let t = triples(text);
    assert!(t.contains(&"武钢国际资源开发投资公司 --subsidiary_of--> 武汉钢铁(集团)公司".to_string()), "{t:?}");
    assert!(!t.iter().any(|x| x.contains("RML") && x.contains("subsidiary_of")), "{t:?}");
    assert!(t.iter().any(|x| x.contains("RML") && x.contains("cooperates_with")), "{t:?}");
}

#[test]
fn a_park_named_with_and_without_its_place_is_one_entity() {
    let text = "今年，落户厦门火炬高新区内厦门同翔高新城的企业将投产。厦门火炬高新区积极将高新区内同翔高新城打造成为新能源产业高地。";
    let r = extract(text);
    let parks: Vec<&String> = r.entities.keys().filter(|k| k.name.contains("同翔")).map(|k| &k.name).collect();
    assert_eq!(parks, vec!["厦门同翔高新城"], "{:?}", r.entities.keys().collect::<Vec<_>>());
}

#[test]
fn parks_inside_parks_are_nested_clusters_in_dot() {
    use graphviz_rust::dot_structures::{Graph as G, Id, Stmt};
    let (g, _) = chainkg::build_graph(rules(), &[root().join("seeds")], |_| {});
    let cx = chainkg::export::ExportContext { graph: &g, schema: &rules().schema, base: chainkg::DEFAULT_BASE };
    let dot = String::from_utf8(chainkg::export::Exporter::export(&chainkg::export::dot::Dot, &cx)).unwrap();
    let G::DiGraph { stmts, .. } = graphviz_rust::parse(&dot).unwrap() else { panic!("a digraph") };
    // find the cluster labelled 厦门火炬… and look for the 同翔 cluster inside it
    fn label(stmts: &[Stmt]) -> String {
        stmts.iter().find_map(|s| match s {
            Stmt::Attribute(a) if matches!(&a.0, Id::Plain(k) if k == "label") => Some(a.1.to_string()),
            _ => None,
        }).unwrap_or_default()
    }
    let torch = stmts.iter().find_map(|s| match s {
        Stmt::Subgraph(sg) if label(&sg.stmts).contains("厦门火炬") => Some(sg),
        _ => None,
    }).expect("a cluster for 厦门火炬高新区");
    let inner = torch.stmts.iter().any(|s| matches!(s, Stmt::Subgraph(sg) if label(&sg.stmts).contains("同翔")));
    assert!(inner, "the 同翔 cluster is not inside the 火炬 cluster:\n{dot}");
}

/// A product list read whole: a member after a quantity word (与少量X), and a
/// member that jieba splits into a verb and a one-character head (掺混+肥, 压缩+机).
#[test]
fn every_member_of_a_product_list_is_produced() {
    let text = "湖北宜化化工股份有限公司主营业务为尿素,复合肥与少量掺混肥及压缩机的生产和销售。";
    for p in ["尿素", "复合肥", "掺混肥", "压缩机"] {
        assert!(has(text, "湖北宜化化工股份有限公司", "produces", p), "{p}: {:?}", triples(text));
    }
    // a verb before a product names no product
    assert!(!triples("湖北宜化化工股份有限公司主营业务为生产复合肥。").iter().any(|t| t.ends_with("生产复合肥")));
}

/// A size or speed modifier before a known product makes a product of its own,
/// named as written, a bracketed specification included; the amount before a
/// product does not hide it from the capacity construction.
#[test]
fn a_modified_product_is_its_own_product() {
    let text = "深圳欧菲光科技股份有限公司拥有500万片大尺寸电容屏的产能。";
    assert!(has(text, "深圳欧菲光科技股份有限公司", "produces", "大尺寸电容屏"), "{:?}", triples(text));
    let r = extract("深圳欧菲光科技股份有限公司将建设中小尺寸（4～6英寸）电容式触摸屏项目。");
    assert!(r.entities.keys().any(|e| e.name == "中小尺寸（4～6英寸）电容式触摸屏"), "{:?}", r.entities.keys().collect::<Vec<_>>());
    // without a modifier the product is the gazetteer's
    let text = "深圳欧菲光科技股份有限公司拥有500万片电容屏的产能。";
    assert!(has(text, "深圳欧菲光科技股份有限公司", "produces", "电容式触摸屏"), "{:?}", triples(text));
}

/// A company named by its province or city and its business alone is a
/// company; the same words without a place only describe one.
#[test]
fn a_place_and_business_words_name_a_company() {
    let text = "宁德时代新能源科技股份有限公司的另一股东广东省能源（集团）有限公司同比例增资1亿元。";
    assert!(has(text, "广东省能源（集团）有限公司", "invests_in", "宁德时代新能源科技股份有限公司"), "{:?}", triples(text));
    let r = extract("宁德时代与一家投资管理有限公司签署协议。");
    assert!(!r.entities.keys().any(|e| e.name.contains("投资管理")), "{:?}", r.entities.keys().collect::<Vec<_>>());
}

/// The prefilters in front of every rule regex (the relaxed gate, the
/// required literals) may only skip sentences the rule cannot match.
/// Sentences are built from the rule's own literal pieces, placeholders of
/// every type, Chinese filler and the punctuation that ends gaps.
mod gate {
    use super::common::rules;
    use proptest::prelude::*;

    fn pieces() -> Vec<String> {
        let mut p: Vec<String> = ["，", "。", "、", "与", "的", "公司", "在", "厦门", "共同", "签署", "合作", "为", "是"].iter().map(|s| s.to_string()).collect();
        let r = rules();
        for i in 0..r.schema.types.len() {
            p.push(r.schema.placeholder(i).to_string());
        }
        for rule in &r.rules {
            p.extend(rule.elements.iter().filter(|e| !e.regex.contains(['(', '[', '{', '\\', '|', '?', '*', '+', '.'])).map(|e| e.regex.clone()));
        }
        // the context patterns' required words, and what names are made of
        for (_, rx, _) in &r.patterns {
            p.extend(chainkg::rules::required_literals(rx.pattern()).unwrap_or_default());
        }
        p.extend(["TCL", "LED", "2011", "（", "）", "宏齐", "科技", "“", "”"].map(String::from));
        p.sort();
        p.dedup();
        p
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn prefilters_never_skip_a_match(picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..40)) {
            let p = pieces();
            let sentence: String = picks.iter().map(|i| p[i.index(p.len())].as_str()).collect();
            let r = rules();
            let coded: Vec<&chainkg::coded::Coded> = r.rules.iter().filter_map(|rule| rule.matcher.coded.as_ref()).collect();
            let (alphabet, tables) = chainkg::coded::Alphabet::new(&coded).expect("an alphabet");
            let mut intervals = Vec::new();
            alphabet.encode(&sentence, &mut intervals);
            let mut k = 0;
            for rule in &r.rules {
                let utf8 = rule.matcher.text_regex();
                // the coded regex finds what the regex over the text finds, group by group
                if let Some(c) = &rule.matcher.coded {
                    let codes: Vec<u8> = sentence.chars().map(|ch| c.code(ch as u32)).collect();
                    let shared: Vec<u8> = intervals.iter().map(|&i| tables[k][i as usize]).collect();
                    k += 1;
                    prop_assert_eq!(&codes, &shared, "rule {}: the shared alphabet codes differently", rule.def.id);
                    prop_assert_eq!(c.exact().is_match(&codes), utf8.is_match(&sentence), "rule {} on {:?}", rule.def.id, sentence);
                    let coded_spans: Vec<Vec<Option<(usize, usize)>>> = rule.matcher.captures(&sentence, None).iter().map(|m| (0..utf8.captures_len()).map(|i| m.get(i).map(|g| (g.start(), g.end()))).collect()).collect();
                    let utf8_spans: Vec<Vec<Option<(usize, usize)>>> = utf8.captures_iter(&sentence).map(|m| (0..utf8.captures_len()).map(|i| m.get(i).map(|g| (g.start(), g.end()))).collect()).collect();
                    prop_assert_eq!(coded_spans, utf8_spans, "rule {} on {:?}", rule.def.id, sentence);
                    if utf8.is_match(&sentence) {
                        if let Some(g) = &c.gate {
                            prop_assert!(g.is_match(&codes), "rule {}: coded gate refuses {sentence:?}", rule.def.id);
                        }
                    }
                }
                if !utf8.is_match(&sentence) {
                    continue;
                }
                if let Some(g) = rule.matcher.text_gate() {
                    prop_assert!(g.is_match(&sentence), "rule {}: gate refuses {sentence:?}", rule.def.id);
                }
                if let Some(set) = chainkg::rules::required_literals(rule.matcher.pattern()) {
                    prop_assert!(set.iter().any(|l| sentence.contains(l.as_str())), "rule {}: none of {set:?} in {sentence:?}", rule.def.id);
                }
            }
            // the context patterns' coded forms too
            for (p, m, _) in &r.patterns {
                let Some(c) = &m.coded else { continue };
                let utf8 = m.text_regex();
                let codes: Vec<u8> = sentence.chars().map(|ch| c.code(ch as u32)).collect();
                let spans = |caps: Vec<chainkg::coded::Caps>| -> Vec<Vec<Option<(usize, usize)>>> { caps.iter().map(|m| (0..utf8.captures_len()).map(|i| m.get(i).map(|g| (g.start(), g.end()))).collect()).collect() };
                prop_assert_eq!(spans(chainkg::coded::Caps::coded(c.exact(), &m.groups, &sentence, &codes)), spans(chainkg::coded::Caps::utf8(utf8, &m.groups, &sentence)), "pattern {} on {:?}", p.id, sentence);
            }
        }
    }

    /// Hand-written patterns the rule files may hold: case-insensitive Latin,
    /// a character outside the Basic Multilingual Plane, `.`, anchors, groups
    /// that take part in no match. The coded regex gives the same groups at
    /// the same byte offsets of the text as the regex over the text.
    #[test]
    fn coded_regexes_match_where_and_as_the_text_regex_does() {
        use chainkg::coded::{group_names, Alphabet, Caps, Coded};
        let cases = [
            (r"(?i)(?P<a>tcl)[^，。]{0,4}?与(?P<b>[A-Z]+)", "据悉，Tcl集团今天与LG签约，tcl与SK也签约。"),
            (r"^(?P<x>𠀀.)|(?P<y>[\p{Han}]{2})$", "𠀀公司在厦门"),
            (r"(?P<a>甲)(?:(?P<b>乙)|丙)?.{0,2}?丁", "甲丙x丁，甲乙丁"),
        ];
        for (pattern, text) in cases {
            let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).unwrap();
            let coded = Coded::new(&hir, chainkg::rules::relaxed_hir).unwrap().expect("a coded form");
            let utf8 = regex::Regex::new(pattern).unwrap();
            let names = group_names(utf8.capture_names());
            let codes: Vec<u8> = text.chars().map(|c| coded.code(c as u32)).collect();
            let spans = |caps: Vec<Caps>| -> Vec<Vec<Option<String>>> { caps.iter().map(|m| (0..utf8.captures_len()).map(|i| m.get(i).map(|g| format!("{}..{} {}", g.start(), g.end(), g.as_str()))).collect()).collect() };
            let want = spans(Caps::utf8(&utf8, &names, text));
            assert!(!want.is_empty(), "{pattern} matches {text}");
            assert_eq!(spans(Caps::coded(coded.exact(), &names, text, &codes)), want, "{pattern} on {text}");
            let (alphabet, tables) = Alphabet::new(&[&coded]).unwrap();
            let mut intervals = Vec::new();
            alphabet.encode(text, &mut intervals);
            assert_eq!(intervals.iter().map(|&i| tables[0][i as usize]).collect::<Vec<u8>>(), codes);
        }
        // a word boundary has no form over one byte per character: the regex over the text is kept
        let hir = regex_syntax::ParserBuilder::new().build().parse(r"\bTCL\b").unwrap();
        assert!(Coded::new(&hir, chainkg::rules::relaxed_hir).unwrap().is_none());
        let m = chainkg::coded::Matcher::new(&hir, r"\bTCL\b".into()).unwrap();
        assert!(m.coded.is_none() && m.is_match("TCL 与 LG 合作", None) && !m.is_match("TCLX", None));
        assert_eq!(m.captures("TCL 与 LG 合作", None).first().and_then(|c| c.get(0)).map(|g| g.as_str()), Some("TCL"));
    }

    #[test]
    fn a_counted_gap_becomes_unbounded_and_exact_counts_stay() {
        let r = chainkg::rules::relaxed("(?P<a>甲)[^，。]{0,3}?与(?P<b>乙)").expect("changes");
        let g = regex::Regex::new(&r).unwrap();
        let exact = regex::Regex::new("(?P<a>甲)[^，。]{0,3}?与(?P<b>乙)").unwrap();
        assert!(g.is_match("甲在厦门与乙") && exact.is_match("甲在厦门与乙"));
        // a longer gap: the exact regex refuses, the gate lets the sentence through to it
        assert!(g.is_match("甲在厦门市区与乙") && !exact.is_match("甲在厦门市区与乙"));
        assert!(!g.is_match("甲在厦门，与乙"));
        assert_eq!(chainkg::rules::relaxed(r"\d{6}"), None);
    }

    #[test]
    fn required_literals_reach_inside_groups_and_prefer_the_rarer_set() {
        use chainkg::rules::required_literals;
        // inside a capture group, with a repetition around it
        let set = required_literals(r"(?P<name>[A-Z][a-z]+\s?(?:Ltd\.?|Inc\.?))").expect("literals");
        assert_eq!(set, ["Inc", "Ltd"]);
        // two one-character sets: the smaller one wins over the one with commas
        assert_eq!(required_literals(r"[（(]\d{6}[，,）)．.]").expect("literals"), ["(", "（"]);
        // an optional part is not required
        assert_eq!(required_literals(r"(?:落户)?甲"), Some(vec!["甲".to_string()]));
        assert_eq!(required_literals(r"(?:落户)?\d+"), None);
        // adjacent exact parts join: every match holds one of 建设在, 建在, 设在
        assert_eq!(required_literals(r"\d+(?:建设|建|设)在\d+").expect("literals"), ["建在", "建设在", "设在"]);
    }
}

#[test]
fn a_legal_name_whose_brand_reads_as_a_verb_stays_whole() {
    // jieba tags 远航 (set sail) and 开拓 (open up) as verbs; before 科技/电池 + 有限公司 they are the brand
    assert_names(&[
        ("远航电池有限公司决定投资3亿元建设2000万只锂离子电池项目。", "远航电池有限公司", "Company"),
        ("开拓科技有限公司落户厦门火炬高新区。", "开拓科技有限公司", "Company"),
    ]);
    assert!(has("远航电池有限公司决定投资3亿元建设2000万只锂离子电池项目。", "远航电池有限公司", "produces", "锂离子电池"));
    // a verb before a name that is one stays outside it
    let m = mention_names("新能源集团投资成立鹏辉电池有限公司。");
    assert!(m.contains(&("鹏辉电池有限公司".into(), "Company".into())), "{m:?}");
}

#[test]
fn a_holding_company_keeps_konggu_in_its_name() {
    // 控股 ends a name elsewhere (比亚迪控股的…), but 控股有限公司, 控股集团 and
    // 控股公司 name holding companies; jieba reads 联想 (associate) as a verb
    assert_names(&[
        ("联想控股有限公司宣布收购武陵酒业有限公司。", "联想控股有限公司", "Company"),
        ("英利绿色能源控股有限公司宣传部负责人王志新表示。", "英利绿色能源控股有限公司", "Company"),
        ("物美控股集团董事长吴坚忠表示。", "物美控股集团", "Company"),
        ("盐湖股份与中川国际矿业控股公司签署战略合作协议。", "中川国际矿业控股公司", "Company"),
    ]);
    // a company that holds another is still no part of the other's name
    assert!(has("比亚迪控股的深圳比亚迪锂电池有限公司完成增资。", "深圳比亚迪锂电池有限公司", "subsidiary_of", "比亚迪股份有限公司"));
    // shares issued or sold are no company (发行股份, 转让股份)
    let m = mention_names("天齐锂业拟向宁德时代定向发行股份。");
    assert!(!m.iter().any(|(n, _)| n.contains("股份")), "{m:?}");
}

#[test]
fn a_known_company_with_more_name_before_gongsi_names_a_company_of_its_own() {
    // 长虹 + 多媒体产业 + 公司: a company of its own (its executive is not 长虹's)
    let text = "长虹多媒体产业公司总经理徐明表示，今年彩电销量将增长。";
    assert!(has(text, "徐明", "executive_of", "长虹多媒体产业公司"), "{:?}", triples(text));
    // 比亚迪 + 公司 is 比亚迪 itself
    let text = "比亚迪公司总裁王传福表示，今年销量将增长。";
    assert!(has(text, "王传福", "executive_of", "比亚迪股份有限公司"), "{:?}", triples(text));
    // a name after 同/与 starts a name of its own (华锐风电同希腊PPC电力公司签约)
    let m = mention_names("宁德时代同希腊PPC电力公司签署战略合作协议。");
    assert!(m.contains(&("希腊PPC电力公司".into(), "Company".into())), "{m:?}");
}

#[test]
fn an_organisation_before_a_title_is_named_even_when_its_brand_is_a_word() {
    // 东林 is a dictionary word (东林电子 would read as a description), a Latin
    // name has no suffix at all: the title after them says they are organisations
    assert!(has("东林电子副总经理黄树华对记者表示，价格将下降。", "黄树华", "executive_of", "东林电子"));
    assert!(has("DisplaySearch大中华区副总经理谢勤益表示，面板价格将回升。", "谢勤益", "executive_of", "DisplaySearch"));
    // without a title a dictionary word + business word stays a description
    assert!(!mention_names("发展清洁能源是大势所趋。").iter().any(|(_, t)| t == "Company"));
    // a name the document defines wins over the same name found before a title
    let text = "法国卡斯特兄弟简化股份有限公司(以下简称“CASTEL”)昨日在上海宣布新战略。CASTEL中国区总经理毕杜维称，将推广自有品牌。";
    assert!(has(text, "毕杜维", "executive_of", "法国卡斯特兄弟简化股份有限公司"), "{:?}", triples(text));
}

#[test]
fn a_suffix_that_gives_no_name_leaves_room_for_one_that_ends_later() {
    // 厂商 (a word ending in 厂 that names nothing) starts before 商会 and hid it
    let text = "潮侨塑胶厂商会会长张华达表示，会员企业订单增长。";
    assert!(has(text, "张华达", "executive_of", "潮侨塑胶厂商会"), "{:?}", triples(text));
}

#[test]
fn stray_spaces_between_chinese_words_do_not_break_a_rule() {
    // text from a PDF or a web page: half- and full-width spaces between words
    for text in ["宁德时代 与 比亚迪股份有限公司 签署战略合作协议。", "宁德时代\u{3000}与比亚迪股份有限公司签署战略合作协议。"] {
        assert!(has(text, "宁德时代新能源科技股份有限公司", "cooperates_with", "比亚迪股份有限公司"), "{text}: {:?}", triples(text));
    }
}

#[test]
fn an_unknown_name_listed_among_companies_is_a_company() {
    // 路华新能 matches no gazetteer name, suffix or pattern: its place in the list says what it is
    let text = "中伟新材料股份有限公司的客户包括宁德时代、路华新能、比亚迪等。";
    assert!(has(text, "中伟新材料股份有限公司", "supplier_of", "路华新能"), "{:?}", triples(text));
    let text = "中伟新材料股份有限公司与宁德时代、路华新能达成战略合作。";
    assert!(has(text, "中伟新材料股份有限公司", "cooperates_with", "路华新能"), "{:?}", triples(text));
    // a list of products or one closed by nothing that ends a list names no company
    assert!(!mention_names("宁德时代、动力电池等企业。").iter().any(|(n, _)| n == "动力电池等企业"));
    let m = mention_names("宁德时代、城市公交系统的需求增长。");
    assert!(!m.iter().any(|(n, t)| t == "Company" && n.contains("城市")), "{m:?}");
}

#[test]
fn a_suffix_that_shares_a_character_with_a_place_keeps_the_whole_place() {
    // 内蒙古自治区 + 区政府: 自治区's 区 is also the suffix's; the scan had cut at 内 (a boundary word)
    assert_all(&[
        ("内蒙古自治区政府采购中心主任刘恒斌表示，采购规模扩大。", "刘恒斌", "executive_of", "内蒙古自治区政府采购中心"),
        // a name that opens before the place keeps it (共青团 + 上海市委)
        ("共青团上海市委副书记陈凯表示，将支持青年创业。", "陈凯", "executive_of", "共青团上海市委"),
    ]);
}

#[test]
fn a_subsidiary_named_after_its_parent_is_the_subject_of_its_clause() {
    // X全资子公司Y拟…: Y opens the clause (X may be a name nothing recognises)
    let text = "9月9日，东方新材发布公告称，全资子公司曲靖德方新材料有限公司拟投资20亿元建设年产10万吨磷酸铁锂项目。";
    assert!(has(text, "曲靖德方新材料有限公司", "produces", "磷酸铁锂"), "{:?}", triples(text));
    let text = "德方纳米全资子公司曲靖德方新材料有限公司拟在曲靖投资建设磷酸铁锂项目。";
    assert!(has(text, "曲靖德方新材料有限公司", "located_in", "曲靖市"), "{:?}", triples(text));
}

#[test]
fn a_subject_after_a_modifier_is_the_topic_a_later_gongsi_refers_to() {
    // 手握动力电池技术的X: the industry in the modifier does not make X an object
    let text = "宁德时代去年在宜宾投资建厂。多家企业加快布局，手握动力电池技术的四川天华新能源有限公司也不甘落后。公司总经理张三表示，将扩大产能。";
    assert!(has(text, "张三", "executive_of", "四川天华新能源有限公司"), "{:?}", triples(text));
}

#[test]
fn a_place_and_a_verb_make_no_short_name() {
    // 宁夏发电集团: 发电 (to generate power) alone is no name of the company
    let text = "宁夏发电集团今年新增装机100万千瓦。光伏发电成本持续下降。";
    let m = mention_names(text);
    assert!(!m.iter().any(|(n, t)| n == "发电" && t == "Company"), "{m:?}");
    // a place and a noun may be one (中国铁建 → 铁建)
    let text = "中国铁建股份有限公司发布公告。铁建副总经理杨小伟表示，将扩大投资。";
    assert!(triples(text).iter().any(|t| t.starts_with("杨小伟 --executive_of-->")), "{:?}", triples(text));
}

#[test]
fn fields_scattered_over_one_phrase_give_one_triple_each() {
    // {o:Product|Industry*}: every field named between 专注于/聚焦 and 领域/方向, whatever stands between them
    let text = "华锐新材料有限公司专注于以隔膜为核心、兼顾负极材料的锂电池领域研发。";
    for o in ["隔膜", "负极材料", "锂电池"] {
        assert!(has(text, "华锐新材料有限公司", "produces", o), "{o}: {:?}", triples(text));
    }
    let text = "华锐新材料有限公司多年来聚焦储能电池和配套的隔膜、电解液等方向的研发。";
    for o in ["储能电池", "隔膜", "电解液"] {
        assert!(has(text, "华锐新材料有限公司", "produces", o), "{o}: {:?}", triples(text));
    }
    // the fields without a verb of research or making are no products
    let text = "华锐新材料有限公司专注于隔膜、电解液等领域，市场前景广阔。";
    assert!(!triples(text).iter().any(|t| t.contains("--produces-->")), "{:?}", triples(text));
}

#[test]
fn a_department_named_by_a_product_or_a_place_keeps_the_executive_and_the_whole_role() {
    for (text, role) in [
        ("星海电子股份有限公司芯片业务部门负责人李明表示，明年将扩产。", "芯片业务部门负责人"),
        ("星海电子股份有限公司重庆分公司总经理李明表示，明年将扩产。", "重庆分公司总经理"),
        ("星海电子股份有限公司信息与市场部主任李明表示，明年将扩产。", "信息与市场部主任"),
    ] {
        let r = extract(text);
        let t = r.triples.iter().find(|t| t.subject.name == "李明").unwrap_or_else(|| panic!("{text}: {:?}", triples(text)));
        assert_eq!(t.object.name, "星海电子股份有限公司");
        assert_eq!(t.evidence.role.as_deref(), Some(role));
    }
    // the title of someone the company meets is not the company's
    let text = "星海电子股份有限公司总经理与厦门市副市长张伟会面。";
    assert!(!triples(text).iter().any(|t| t.starts_with("张伟")), "{:?}", triples(text));
}

#[test]
fn a_negated_statement_yields_no_triple() {
    for text in ["长丰家具有限公司并未给达芬奇家具有限公司供货。", "宁德时代尚未落户厦门火炬高新区。"] {
        assert!(triples(text).is_empty(), "{text}: {:?}", triples(text));
    }
    // 未来 and 不断 deny nothing
    let text = "长丰家具有限公司未来三年将给达芬奇家具有限公司供货。";
    assert!(has(text, "长丰家具有限公司", "supplier_of", "达芬奇家具有限公司"), "{:?}", triples(text));
    let text = "宁德时代与厦门大学不断深化合作。";
    assert!(triples(text).iter().any(|t| t.contains("--cooperates_with-->")), "{:?}", triples(text));
    // a negation before the match in its clause denies it; one in an earlier clause does not
    let text = "双方暂停了关于宁德时代收购北京当升材料科技股份有限公司的谈判。";
    assert!(!triples(text).iter().any(|t| t.contains("--invests_in-->")), "{:?}", triples(text));
    let text = "宁德时代没有公布价格，但将为特斯拉供应磷酸铁锂电池。";
    assert!(has(text, "宁德时代新能源科技股份有限公司", "supplier_of", "特斯拉"), "{:?}", triples(text));
    // a rumour states nothing, and a denial later in the sentence takes a match back
    for text in ["市场传闻宁德时代将收购北京当升材料科技股份有限公司。", "宁德时代与比亚迪股份有限公司签署战略合作协议的传闻不实。"] {
        assert!(triples(text).is_empty(), "{text}: {:?}", triples(text));
    }
    // 否认 alone after the match denies something else
    let text = "宁德时代与比亚迪股份有限公司签署战略合作协议，并否认了裁员传闻。";
    assert!(triples(text).iter().any(|t| t.contains("--cooperates_with-->")), "{:?}", triples(text));
}

#[test]
fn transliterated_names_with_a_middle_dot_are_whole_persons() {
    assert_all(&[
        ("苹果公司首席执行官蒂姆·库克说，销量创新高。", "蒂姆·库克", "executive_of", "苹果公司"),
        ("通用汽车董事长兼首席执行官丹尼尔·阿克森表示，将扩大在华投资。", "丹尼尔·阿克森", "executive_of", "通用汽车"),
        // the first part starts after the title, not inside it
        ("星海电子股份有限公司董事局主席罗杰·史密斯表示，将扩产。", "罗杰·史密斯", "executive_of", "星海电子股份有限公司"),
    ]);
}

#[test]
fn a_body_named_after_a_company_or_an_office_held_is_read_right() {
    // 中国稀土 is a company's short name; 中国稀土学会 is a society
    // 现任 (currently serving as) is no part of the company's name
    assert_all(&[
        ("中国稀土学会理事长干勇表示，行业将加快整合。", "干勇", "executive_of", "中国稀土学会"),
        ("现任春兰集团总经理陶建幸表示，公司将扩产。", "陶建幸", "executive_of", "春兰集团"),
    ]);
}

#[test]
fn a_name_never_swallows_an_official_who_witnesses_a_signing() {
    let text = "湖北省副省长张建国昨见证湖北星海电子集团与远景科技有限公司签署合作协议。";
    assert!(has(text, "湖北星海电子集团", "cooperates_with", "远景科技有限公司") || has(text, "远景科技有限公司", "cooperates_with", "湖北星海电子集团"), "{:?}", triples(text));
    // 市 + 长江 is no 市长
    let m = mention_names("中国铝业与宜兴市长江稀土冶炼厂签署了战略合作框架协议。");
    assert!(m.contains(&("宜兴市长江稀土冶炼厂".into(), "Company".into())), "{m:?}");
}

#[test]
fn a_bureau_before_its_head_and_a_province_commission_are_named_right() {
    // the second 局 of 科技局局长 begins the title 局长, it ends no name
    let text = "厦门市科技局局长李华表示，将加大研发投入补助。";
    assert!(has(text, "李华", "executive_of", "厦门市科技局"), "{:?}", triples(text));
    // 发改委 alone is the national commission; with a province before it, the province's
    let text = "福建省发改委与厦门大学签订战略合作协议。";
    assert!(has(text, "福建省发改委", "cooperates_with", "厦门大学") || has(text, "厦门大学", "cooperates_with", "福建省发改委"), "{:?}", triples(text));
    let m = mention_names("国家发改委发布通知。");
    assert!(m.contains(&("国家发改委".into(), "Agency".into())), "{m:?}");
}

#[test]
fn a_body_keeps_企业_in_its_name_and_小姐_is_no_name() {
    let text = "中国医药企业管理协会会长于明德表示，行业将加快整合。";
    assert!(has(text, "于明德", "executive_of", "中国医药企业管理协会"), "{:?}", triples(text));
    let text = "星海家具有限公司总经理谭小姐表示，订单充足。";
    assert!(!triples(text).iter().any(|t| t.starts_with("谭小姐")), "{:?}", triples(text));
}

#[test]
fn an_unknown_brand_before_a_business_word_is_a_company_a_description_is_not() {
    let text = "亿纬锂能与林洋能源成立合资公司。";
    assert!(has(text, "惠州亿纬锂能股份有限公司", "cooperates_with", "林洋能源") || has(text, "林洋能源", "cooperates_with", "惠州亿纬锂能股份有限公司"), "{:?}", triples(text));
    for text in ["清洁能源发展迅速。", "当地将建设大型太阳能光伏电站。", "赛迪顾问新能源咨询事业部总经理王晓宁表示。"] {
        let m = mention_names(text);
        assert!(!m.iter().any(|(_, ty)| ty == "Company"), "{text}: {m:?}");
    }
}

#[test]
fn a_battery_named_after_its_material_is_one_product() {
    // 锰酸锂 and 磷酸铁锂 are known products; + 电池 they name the battery, and the
    // 锂电 of 锂电池 inside them does not hide the head noun
    assert_all(&[
        ("国轩高科专业从事磷酸铁锂电池的研发、生产和销售。", "国轩高科股份有限公司", "produces", "磷酸铁锂电池"),
        ("比亚迪推出刀片电池，能量密度大幅提升。", "比亚迪股份有限公司", "produces", "刀片电池"),
    ]);
    let m = mention_names("锰酸锂电池的研发取得突破。");
    assert!(m.contains(&("锰酸锂电池".into(), "Product".into())), "{m:?}");
}


#[test]
fn a_two_character_name_across_two_words_is_none() {
    // 大力+拓展: no 力拓 (the mining company) in "vigorously expand"
    let m = mention_names("企业要大力拓展海外市场，开拓和发展战略新兴产业。");
    assert!(!m.iter().any(|(_, t)| t == "Company"), "{m:?}");
    // where it stands as a word of its own it is the company
    let m = mention_names("力拓与宝钢签署了长期铁矿石供应协议。");
    assert!(m.iter().any(|(n, t)| n == "力拓" && t == "Company"), "{m:?}");
}

#[test]
fn a_place_before_a_known_company_is_part_of_its_name() {
    // 与日本三洋电机株式会社签署: the place stands in no slot between 与 and the company
    let text = "7月28日，海尔集团公司与日本三洋电机株式会社签署备忘录。";
    assert!(has(text, "海尔集团公司", "cooperates_with", "三洋电机株式会社"), "{:?}", triples(text));
    // a name the document gives itself still wins: 淄博海信 of 淄博海信电子有限公司
    let text = "淄博海信电子有限公司成立于1990年。淄博海信车间主任马丽萍说，产量翻番。";
    assert!(has(text, "马丽萍", "executive_of", "淄博海信电子有限公司"), "{:?}", triples(text));
}

#[test]
fn a_known_short_name_and_a_trade_name_a_company_of_its_own() {
    // 宝钢 + 矿业: the group's mining subsidiary, not the group
    let text = "宝钢集团旗下的宝钢矿业近日完成重组。";
    assert!(has(text, "宝钢矿业", "subsidiary_of", "宝钢集团有限公司"), "{:?}", triples(text));
    // a company's short name inside a university's name: 中国石油 + 大学化学工程学院
    let text = "中国石油大学化学工程学院院长王震表示，将加强产学研合作。";
    assert!(has(text, "王震", "executive_of", "中国石油大学化学工程学院"), "{:?}", triples(text));
}

#[test]
fn a_registered_name_after_a_leading_adverb_is_still_a_company() {
    // 真 (an adverb) + 明丽 (an adjective) + 集团有限公司: the legal form makes
    // it a name; only the one-character function word before the brand may go
    let m = mention_names("真明丽集团有限公司总经理郑建文表示，订单增长。");
    assert!(m.iter().any(|(n, t)| t == "Company" && n.ends_with("明丽集团有限公司")), "{m:?}");
    // a measure word and a generic core still make none (个研发中心)
    let m = mention_names("公司新建了一个研发中心。");
    assert!(!m.iter().any(|(n, _)| n.contains("研发中心")), "{m:?}");
}

#[test]
fn a_deal_verb_ends_a_company_name_and_a_field_alone_names_none() {
    // 入股 between two legal names: two companies, not one name across both
    let text = "比亚迪股份有限公司入股华创新材料有限公司，持股比例为20%。";
    assert!(has(text, "比亚迪股份有限公司", "invests_in", "华创新材料有限公司"), "{:?}", triples(text));
    // 电子商务 + 公司 describes a company, it names none
    let m = mention_names("沃尔玛宣布入股电子商务公司1号店。");
    assert!(!m.iter().any(|(n, t)| n == "电子商务公司" && t == "Company"), "{m:?}");
    // a brand before the field still makes a name
    let m = mention_names("华越动力电池有限公司正式揭牌。");
    assert!(m.iter().any(|(n, t)| n == "华越动力电池有限公司" && t == "Company"), "{m:?}");
}

#[test]
fn a_park_named_as_a_city_of_its_trade_is_a_park() {
    // 生物城, 科学城: parks by name; X内的Y makes Y part of X
    let text = "武汉东湖高新区内的光谷生物城聚集了200多家企业。";
    assert!(has(text, "光谷生物城", "part_of", "武汉东湖新技术开发区"), "{:?}", triples(text));
}

#[test]
fn a_product_named_by_its_rating_keeps_the_rating() {
    // the rating and 的 are part of the product's name, as the gold names it
    let text = "星辰电池有限公司已经开始量产能量密度300Wh/kg的电芯。";
    assert!(has(text, "星辰电池有限公司", "produces", "能量密度300Wh/kg的电芯"), "{:?}", triples(text));
}

#[test]
fn an_unknown_industry_between_two_listed_ones_is_an_industry() {
    // 光刻胶 is in no list, its neighbours are: the enumeration holds all three
    let text = "合肥高新区已形成以集成电路、光刻胶、人工智能为主导的产业集群。";
    for o in ["集成电路", "光刻胶", "人工智能"] {
        assert!(has(text, "合肥高新技术产业开发区", "has_industry", o), "{o}: {:?}", triples(text));
    }
}

/// 原 ("former") ends a registered name on its left, unless it opens a longer
/// word with the name after it (原生态…).
#[test]
fn a_one_character_stop_word_inside_a_longer_word_is_part_of_the_name() {
    let text = "华夏原生态农业股份有限公司总经理李强表示，公司将扩大种植面积。";
    assert!(has(text, "李强", "executive_of", "华夏原生态农业股份有限公司"), "{:?}", triples(text));
    let text = "原华北制药股份有限公司总经理王明表示，新厂将于明年投产。";
    assert!(has(text, "王明", "executive_of", "华北制药股份有限公司"), "{:?}", triples(text));
}

/// A Latin name of several words, after a country, before 公司: the whole
/// name, neither its last word nor the buyer and its verb with it.
#[test]
fn a_latin_name_of_several_words_after_a_country_is_one_company() {
    let text = "武钢集团收购了澳大利亚Centrex Metals公司的股份。";
    assert!(has(text, "武汉钢铁(集团)公司", "invests_in", "澳大利亚Centrex Metals公司"), "{:?}", triples(text));
    let text = "力拓宣布收购Arrow Energy公司。";
    assert!(has(text, "力拓集团", "invests_in", "Arrow Energy公司"), "{:?}", triples(text));
}

/// A shared head: 汽车及零部件 names 汽车 and 汽车零部件; 零部件 alone (an
/// aircraft's, a phone's) is no auto part.
#[test]
fn a_word_after_a_conjunction_takes_the_first_conjuncts_head() {
    let text = "柳州拥有在全国具有重要影响的汽车及零部件生产基地。";
    assert!(has(text, "柳州市", "has_industry", "汽车零部件") && has(text, "柳州市", "has_industry", "汽车"), "{:?}", triples(text));
    let r = extract("富士康为苹果生产零部件。");
    assert!(!r.entities.keys().any(|e| e.name == "汽车零部件"), "{:?}", r.entities.keys().collect::<Vec<_>>());
}

/// 该公司 after a sentence that brought a company in last is that company,
/// not the sentence's subject; with a subject before it in its own sentence,
/// it is that subject.
#[test]
fn a_demonstrative_names_the_company_just_brought_in() {
    let text = "2021年，宁德时代宣布收购电池回收企业——广东邦普循环科技有限公司。该公司总部位于佛山市。";
    assert!(has(text, "广东邦普循环科技有限公司", "located_in", "佛山市"), "{:?}", triples(text));
    assert!(!has(text, "宁德时代新能源科技股份有限公司", "located_in", "佛山市"), "{:?}", triples(text));
    let text = "比亚迪股份有限公司发布公告。该公司总部位于深圳市。";
    assert!(has(text, "比亚迪股份有限公司", "located_in", "深圳市"), "{:?}", triples(text));
}

/// Chinese words and 公司 right before a Latin name describe that company:
/// one mention, named by the Latin name; a verb after a title is no person.
#[test]
fn a_description_before_a_latin_name_is_part_of_its_mention() {
    let text = "光明食品集团公司已同意收购澳大利亚品牌食品公司Manassen Foods。";
    assert!(has(text, "光明食品集团公司", "invests_in", "Manassen Foods"), "{:?}", triples(text));
    let r = extract("视力保健公司Vistakon发言人公布了召回计划。");
    assert!(!r.entities.keys().any(|e| e.name == "公布"), "{:?}", r.entities.keys().collect::<Vec<_>>());
    assert!(r.entities.keys().any(|e| e.name == "Vistakon"), "{:?}", r.entities.keys().collect::<Vec<_>>());
}

#[test]
fn a_delegation_before_a_company_is_no_part_of_its_name() {
    let text = "辽宁省经贸代表团大商集团昨天与台湾爱格发公司签约。";
    let t = triples(text);
    assert!(t.iter().any(|t| t.contains("大商集团") && t.contains("cooperates_with") && t.contains("台湾爱格发公司")), "{t:?}");
    assert!(!t.iter().any(|t| t.contains("代表团")), "{t:?}");
}

#[test]
fn a_surname_with_a_title_or_an_address_form_is_nobody_named() {
    for text in ["比亚迪股份有限公司的渠道负责人刘经理告诉记者，销量回升。", "比亚迪股份有限公司负责人徐总介绍了情况。", "比亚迪股份有限公司董事长王先生表示，将加大投入。"] {
        let t = triples(text);
        assert!(!t.iter().any(|t| t.contains("executive_of")), "{text}: {t:?}");
    }
    // a full name after the same words still is one
    assert!(has("比亚迪股份有限公司的渠道负责人刘建国告诉记者，销量回升。", "刘建国", "executive_of", "比亚迪股份有限公司"));
}

#[test]
fn a_place_and_a_trade_word_before_a_title_name_a_company() {
    assert!(has("云南铜业董事长张建国在会上表示，产量将增长。", "张建国", "executive_of", "云南铜业"));
    // the trade of a place alone is none, nor a branch named by its place
    let t = triples("江西矿业发展迅速，产值增长三成。北京分公司总经理张建国表示，销量增长。");
    assert!(!t.iter().any(|t| t.contains("江西矿业") || t.contains("北京分公司")), "{t:?}");
}

#[test]
fn a_registered_name_may_hold_企业_before_business_words_only() {
    assert!(has("北京同心动力企业管理顾问有限公司总裁孙兵表示，培训需求增长。", "孙兵", "executive_of", "北京同心动力企业管理顾问有限公司"));
    assert!(has("上海华磊企业有限公司总经理梁太庚说，订单已排满。", "梁太庚", "executive_of", "上海华磊企业有限公司"));
    // before a brand, 企业 still ends the name: 鞋革企业 describes 奥康集团有限公司
    assert!(has("著名的鞋革企业奥康集团有限公司董事长王振滔表示，将扩大产能。", "王振滔", "executive_of", "奥康集团有限公司"));
}

#[test]
fn a_gap_stops_at_ascii_clause_punctuation_too() {
    // as at the full-width ；, a rule's gap does not run over an ASCII ; ! ?
    for text in ["比亚迪股份有限公司发布财报;新项目落户厦门。", "比亚迪股份有限公司发布财报；新项目落户厦门。"] {
        assert!(!has(text, "比亚迪股份有限公司", "located_in", "厦门市"), "{text}: {:?}", triples(text));
    }
}
