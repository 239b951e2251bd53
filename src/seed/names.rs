//! The demo committee's data tables: the published lists (terms, sectors, committees, towns,
//! handling units, groups) and the pools that realistic names, posts and phones are drawn from.
//! The figures the year in review quotes are checked here at compile time.

use chrono::NaiveDate;
use entity::enums::{GroupKind, LeadershipPost, Party, RegionLevel, Role, SeatStatus};

/// A calendar day written in a table. Only used in `const` items, so a wrong day fails the
/// build, never a run.
const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("not a calendar day"),
    }
}

// ----- terms and dates -----

/// A term (届次) of the demo committee.
pub struct TermSpec {
    /// Ordinal.
    pub number: i32,
    /// Display name.
    pub name: &'static str,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

/// 第九届, the previous term.
pub const PREVIOUS_TERM: TermSpec =
    TermSpec { number: 9, name: "第九届", start: day(2016, 12, 20), end: day(2021, 12, 19) };
/// 第十届, the current term.
pub const CURRENT_TERM: TermSpec =
    TermSpec { number: 10, name: "第十届", start: day(2021, 12, 20), end: day(2026, 12, 31) };

/// When the current members joined their special committees (全员入委).
pub const COMMITTEES_FORMED: NaiveDate = day(2022, 1, 10);
/// When the current members were assigned to their studios.
pub const STUDIOS_STAFFED: NaiveDate = day(2022, 1, 15);
/// When the standing groups were formed.
pub const GROUPS_FORMED: NaiveDate = day(2022, 3, 1);
/// The day a few members moved to another special committee (history kept: one closed row,
/// one open row).
pub const COMMITTEE_MOVE: NaiveDate = day(2023, 3, 1);
/// How many members moved committee on [`COMMITTEE_MOVE`].
pub const COMMITTEE_MOVERS: usize = 3;
/// The day the members beyond one per studio moved to their present town studio.
pub const STUDIO_MOVE: NaiveDate = day(2023, 7, 1);
/// The first town studio opened on this day, the next one a day later, and so on.
pub const TOWN_STUDIOS_OPENED: NaiveDate = day(2021, 6, 1);
/// The village and community studios opened from this day on, over the following 100 days.
pub const VILLAGE_STUDIOS_OPENED: NaiveDate = day(2021, 9, 1);

/// Earliest and latest birth year of the current members (leaders excepted).
pub const MEMBER_BIRTH_YEARS: (i32, i32) = (1958, 1990);
/// Earliest and latest birth year of the committee's leaders.
pub const LEADER_BIRTH_YEARS: (i32, i32) = (1963, 1972);
/// Earliest and latest birth year of the people who sat only in the previous term.
pub const FORMER_BIRTH_YEARS: (i32, i32) = (1955, 1972);

// ----- sizes -----

/// Members seated in the current term (the year in review's "209 members").
pub const MEMBERS: usize = 209;
/// Current members who also sat in the previous term.
pub const RETURNING: usize = 120;
/// People who sat only in the previous term.
pub const FORMER_ONLY: usize = 60;
/// Standing-committee members (常委) in the current term, leaders included.
pub const STANDING: usize = 35;
/// The seed of the generator: the same demo committee on every run.
pub const SEED: u64 = 0x6c76_7a68_6932_3032; // "lvzhi202"

// ----- sectors -----

/// A sector (界别) as the committee publishes it, with what its members look like.
pub struct SectorSpec {
    /// Name.
    pub name: &'static str,
    /// The party every member of a party sector belongs to; other sectors mix parties.
    pub party: Option<Party>,
    /// Seats in the current term.
    pub seats: usize,
    /// Index in [`COMMITTEES`] of the special committee its members usually join.
    pub committee: usize,
    /// Share of women, in percent.
    pub women_percent: u32,
    /// Employers and positions (工作单位及职务). The first is held by one member only (the
    /// sector's head); the rest are drawn at random, each given once in a term where the draws
    /// allow. `{town}` is the member's town or street ("城关街道"), `{stem}` its name without
    /// 镇 or 街道 ("城关"), `{firm}` a company name.
    pub posts: &'static [&'static str],
}

/// The sectors in published order: 20, as a district committee lists them.
pub const SECTORS: &[SectorSpec] = &[
    SectorSpec {
        name: "中共",
        party: Some(Party::Cpc),
        seats: 24,
        committee: 0,
        women_percent: 25,
        posts: &[
            "区委统战部常务副部长",
            "区发展和改革局局长",
            "区财政局党组书记",
            "区人力资源和社会保障局副局长",
            "区市场监督管理局副局长",
            "区融媒体中心主任",
            "区委党校常务副校长",
            "区人民法院副院长",
            "区人民检察院副检察长",
            "区城市管理局副局长",
            "区国有资产投资集团有限公司董事长",
            "区委办公室副主任",
            "区委组织部副部长",
            "区委宣传部副部长",
            "区住房和城乡建设局局长",
            "区交通运输局局长",
            "区教育局局长",
            "区卫生健康委员会主任",
            "{town}党群服务中心主任",
            "{town}便民服务中心主任",
        ],
    },
    SectorSpec {
        name: "民革",
        party: Some(Party::Rcck),
        seats: 7,
        committee: 2,
        women_percent: 35,
        posts: &[
            "民革区委主委、区司法局副局长",
            "民革区委委员、{firm}律师事务所主任",
            "区档案馆副馆长",
            "区第二中学教师",
            "{firm}贸易有限公司总经理",
            "区文化馆副馆长",
        ],
    },
    SectorSpec {
        name: "民盟",
        party: Some(Party::Cdl),
        seats: 9,
        committee: 3,
        women_percent: 40,
        posts: &[
            "民盟区委副主委、区第一中学副校长",
            "区职业技术学校教师",
            "{stem}中心小学校长",
            "区教师发展中心教研员",
            "区图书馆馆长",
            "{stem}中学副校长",
        ],
    },
    SectorSpec {
        name: "民建",
        party: Some(Party::Cndca),
        seats: 9,
        committee: 1,
        women_percent: 30,
        posts: &[
            "民建区委副主委、{firm}集团有限公司董事长",
            "{firm}实业有限公司董事长",
            "{firm}置业有限公司总经理",
            "区农村商业银行{stem}支行行长",
            "{firm}会计师事务所所长",
            "{firm}商贸有限公司总经理",
        ],
    },
    SectorSpec {
        name: "民进",
        party: Some(Party::Capd),
        seats: 9,
        committee: 3,
        women_percent: 45,
        posts: &[
            "民进区委主委、区教育局副局长",
            "区实验中学教师",
            "{stem}中心幼儿园园长",
            "区少年宫主任",
            "区文化馆馆员",
            "{stem}中心小学教导主任",
        ],
    },
    SectorSpec {
        name: "农工党",
        party: Some(Party::Cpwdp),
        seats: 8,
        committee: 2,
        women_percent: 40,
        posts: &[
            "农工党区委主委、区中医医院院长",
            "区人民医院主任医师",
            "区妇幼保健院副院长",
            "{stem}卫生院院长",
            "区疾病预防控制中心副主任",
            "{firm}大药房连锁有限公司总经理",
        ],
    },
    SectorSpec {
        name: "九三学社",
        party: Some(Party::Jiusan),
        seats: 8,
        committee: 1,
        women_percent: 30,
        posts: &[
            "九三学社区基层委主委、区科学技术局副局长",
            "区农业技术推广中心高级农艺师",
            "{firm}科技有限公司总工程师",
            "区环境监测站站长",
            "区第三中学高级教师",
            "区气象局副局长",
        ],
    },
    SectorSpec {
        name: "无党派人士",
        party: Some(Party::NonParty),
        seats: 12,
        committee: 0,
        women_percent: 35,
        posts: &[
            "区审计局副局长",
            "{firm}律师事务所主任",
            "区第一中学教师",
            "{firm}科技有限公司董事长",
            "区统计局副局长",
            "区人民医院主治医师",
            "{stem}中心小学教师",
        ],
    },
    SectorSpec {
        name: "共青团和青联",
        party: None,
        seats: 6,
        committee: 3,
        women_percent: 45,
        posts: &[
            "团区委书记",
            "{firm}电子商务有限公司总经理",
            "区青年企业家协会会长",
            "{town}团工委书记",
            "区青少年活动中心主任",
            "{firm}农业专业合作社理事长",
        ],
    },
    SectorSpec {
        name: "工会",
        party: None,
        seats: 8,
        committee: 2,
        women_percent: 35,
        posts: &[
            "区总工会常务副主席",
            "{firm}机械制造有限公司工会主席",
            "{town}总工会主席",
            "区公共交通有限公司驾驶员",
            "{firm}纺织有限公司车间主任",
            "区供电公司工会主席",
        ],
    },
    SectorSpec {
        name: "妇联",
        party: None,
        seats: 8,
        committee: 2,
        women_percent: 90,
        posts: &[
            "区妇联主席",
            "{town}妇联主席",
            "{firm}家政服务有限公司总经理",
            "区妇幼保健院护士长",
            "{town}社区卫生服务中心主任",
            "区巾帼志愿者协会会长",
        ],
    },
    SectorSpec {
        name: "工商联",
        party: None,
        seats: 14,
        committee: 1,
        women_percent: 15,
        posts: &[
            "区工商联主席、{firm}集团有限公司董事长",
            "{firm}建设工程有限公司董事长",
            "{firm}食品有限公司总经理",
            "{firm}物流有限公司董事长",
            "{firm}商贸有限公司总经理",
            "{firm}新材料科技有限公司董事长",
            "{town}商会会长、{firm}实业有限公司董事长",
            "{firm}餐饮管理有限公司总经理",
        ],
    },
    SectorSpec {
        name: "科技界",
        party: None,
        seats: 9,
        committee: 1,
        women_percent: 30,
        posts: &[
            "区科学技术协会主席",
            "{firm}生物科技有限公司研发总监",
            "区农业科学研究所所长",
            "{firm}智能装备有限公司总经理",
            "区大数据中心主任",
            "区科技创新服务中心主任",
        ],
    },
    SectorSpec {
        name: "经济界",
        party: None,
        seats: 15,
        committee: 1,
        women_percent: 30,
        posts: &[
            "区发展和改革局副局长",
            "区统计局局长",
            "区农村商业银行副行长",
            "区税务局副局长",
            "区投资促进中心主任",
            "{firm}投资有限公司董事长",
            "{firm}会计师事务所所长",
            "区供销合作社联合社主任",
        ],
    },
    SectorSpec {
        name: "教育界",
        party: None,
        seats: 13,
        committee: 3,
        women_percent: 50,
        posts: &[
            "区第一中学校长",
            "区实验小学副校长",
            "{stem}中心小学校长",
            "{stem}中学校长",
            "区职业技术学校校长",
            "区特殊教育学校校长",
            "区第二中学高级教师",
            "{stem}中心幼儿园园长",
            "区教育局教研室主任",
        ],
    },
    SectorSpec {
        name: "文化艺术界",
        party: None,
        seats: 9,
        committee: 3,
        women_percent: 40,
        posts: &[
            "区文学艺术界联合会主席",
            "区文化馆馆长",
            "区图书馆副馆长",
            "区书法家协会主席",
            "区美术家协会副主席",
            "区融媒体中心记者",
            "{firm}文化传媒有限公司总经理",
            "区博物馆馆长",
            "区非物质文化遗产保护中心主任",
        ],
    },
    SectorSpec {
        name: "医药卫生界",
        party: None,
        seats: 13,
        committee: 2,
        women_percent: 45,
        posts: &[
            "区卫生健康委员会副主任",
            "区人民医院副院长",
            "区中医医院副院长",
            "区妇幼保健院院长",
            "{stem}卫生院院长",
            "{town}社区卫生服务中心主任",
            "区人民医院主任医师",
            "区疾病预防控制中心主任",
            "区第二人民医院护理部主任",
            "{firm}医药有限公司总经理",
        ],
    },
    SectorSpec {
        name: "农业界",
        party: None,
        seats: 11,
        committee: 1,
        women_percent: 25,
        posts: &[
            "区农业农村局副局长",
            "{town}{firm}种植专业合作社理事长",
            "区农业技术推广中心主任",
            "{firm}农业发展有限公司董事长",
            "{town}农业综合服务中心主任",
            "区畜牧兽医站站长",
            "{firm}生态农业有限公司总经理",
            "区水利局副局长",
        ],
    },
    SectorSpec {
        name: "社会福利和社会保障界",
        party: None,
        seats: 8,
        committee: 2,
        women_percent: 40,
        posts: &[
            "区民政局副局长",
            "区医疗保障局副局长",
            "区残疾人联合会理事长",
            "区社会福利院院长",
            "区慈善总会副会长",
            "{firm}养老服务有限公司总经理",
            "区退役军人事务局副局长",
            "区红十字会常务副会长",
        ],
    },
    SectorSpec {
        name: "特邀人士",
        party: None,
        seats: 9,
        committee: 0,
        women_percent: 30,
        posts: &[
            "区归国华侨联合会主席",
            "区台湾同胞联谊会会长",
            "区欧美同学会副会长",
            "区港澳同胞联谊会会长",
            "区少数民族联谊会会长",
            "{firm}律师事务所主任",
            "区法学会副会长",
            "区民族宗教事务局副局长",
        ],
    },
];

/// The parties of members in sectors that are not a party, with weights (percent): about 40 %
/// CPC, 30 % democratic parties, 15 % non-party and the rest masses over the whole committee.
pub const MIXED_PARTIES: &[(Party, u32)] = &[
    (Party::Cpc, 48),
    (Party::NonParty, 15),
    (Party::Masses, 27),
    (Party::Rcck, 1),
    (Party::Cdl, 1),
    (Party::Cndca, 2),
    (Party::Capd, 1),
    (Party::Cpwdp, 1),
    (Party::Czgp, 2),
    (Party::Jiusan, 1),
    (Party::Tdsl, 1),
];

// ----- leaders -----

/// A leadership post of the current term and who holds it.
pub struct LeaderSpec {
    /// The post.
    pub post: LeadershipPost,
    /// The holder's sector, by name.
    pub sector: &'static str,
    /// The holder's employer and position.
    pub employer: &'static str,
    /// The post the holder had in the previous term, if any (the holder sat there).
    pub previous: Option<(LeadershipPost, &'static str)>,
}

/// The chair, vice chairs and secretary-general of 第十届 (all on the standing committee).
pub const LEADERS: &[LeaderSpec] = &[
    LeaderSpec {
        post: LeadershipPost::Chair,
        sector: "中共",
        employer: "区政协党组书记、主席",
        previous: Some((LeadershipPost::ViceChair, "区政协党组成员、副主席")),
    },
    LeaderSpec {
        post: LeadershipPost::ViceChair,
        sector: "中共",
        employer: "区政协党组副书记、副主席",
        previous: Some((LeadershipPost::SecretaryGeneral, "区政协党组成员、秘书长")),
    },
    LeaderSpec {
        post: LeadershipPost::ViceChair, sector: "中共", employer: "区政协党组成员、副主席", previous: None
    },
    LeaderSpec {
        post: LeadershipPost::ViceChair,
        sector: "民盟",
        employer: "区政协副主席、民盟区委主委",
        previous: Some((LeadershipPost::ViceChair, "区政协副主席、民盟区委主委")),
    },
    LeaderSpec {
        post: LeadershipPost::ViceChair,
        sector: "民建",
        employer: "区政协副主席、民建区委主委",
        previous: None,
    },
    LeaderSpec {
        post: LeadershipPost::ViceChair,
        sector: "无党派人士",
        employer: "区政协副主席、区人民医院院长",
        previous: None,
    },
    LeaderSpec {
        post: LeadershipPost::SecretaryGeneral,
        sector: "中共",
        employer: "区政协党组成员、秘书长",
        previous: None,
    },
];

/// Leaders of 第九届 who did not return: (post, sector, employer and position).
pub const FORMER_LEADERS: &[(LeadershipPost, &str, &str)] = &[
    (LeadershipPost::Chair, "中共", "区政协党组书记、主席"),
    (LeadershipPost::ViceChair, "中共", "区政协党组副书记、副主席"),
    (LeadershipPost::ViceChair, "九三学社", "区政协副主席、九三学社区基层委主委"),
];

/// People of 第九届 whose seat ended early: (status, last day, reason). The other former
/// members served to the end of the term.
pub const EARLY_DEPARTURES: &[(SeatStatus, NaiveDate, &str)] = &[
    (SeatStatus::Resigned, day(2018, 11, 20), "因个人原因，本人申请辞去委员职务"),
    (SeatStatus::Resigned, day(2019, 3, 15), "工作调动离开本区，本人申请辞去委员职务"),
    (SeatStatus::PersuadedToResign, day(2019, 10, 25), "连续两年无故缺席全体会议，经主席会议研究劝其辞去委员职务"),
    (SeatStatus::Deceased, day(2020, 2, 14), "因病医治无效去世"),
    (SeatStatus::Resigned, day(2020, 6, 30), "因工作变动，本人申请辞去委员职务"),
    (SeatStatus::Deceased, day(2021, 4, 3), "因病医治无效去世"),
];

// ----- special committees -----

/// A special committee (专委会): name, seats (every current member sits in exactly one) and
/// how many deputy directors it has. Each has one director.
pub const COMMITTEES: &[(&str, usize, usize)] =
    &[("提案委员会", 52, 3), ("经济委员会", 53, 2), ("社会和法制委员会", 52, 3), ("文化文史和学习委员会", 52, 2)];

// ----- regions and studios -----

/// A town or street, with how many villages and communities lie in it.
pub struct TownSpec {
    /// Name.
    pub name: &'static str,
    /// Town (镇) or street (街道).
    pub level: RegionLevel,
    /// Villages (村) under it.
    pub villages: usize,
    /// Communities (社区) under it.
    pub communities: usize,
}

/// Shorthand for the table below.
const fn town(name: &'static str, level: RegionLevel, villages: usize, communities: usize) -> TownSpec {
    TownSpec { name, level, villages, communities }
}

/// The 16 towns and streets, in published order.
pub const TOWNS: &[TownSpec] = &[
    town("城关街道", RegionLevel::Street, 0, 12),
    town("东城街道", RegionLevel::Street, 2, 10),
    town("西城街道", RegionLevel::Street, 1, 11),
    town("南湖街道", RegionLevel::Street, 4, 8),
    town("北苑街道", RegionLevel::Street, 3, 8),
    town("新华街道", RegionLevel::Street, 0, 10),
    town("龙泉街道", RegionLevel::Street, 5, 6),
    town("青山镇", RegionLevel::Town, 12, 1),
    town("白沙镇", RegionLevel::Town, 12, 1),
    town("石桥镇", RegionLevel::Town, 11, 1),
    town("柳林镇", RegionLevel::Town, 12, 1),
    town("金河镇", RegionLevel::Town, 12, 1),
    town("桃源镇", RegionLevel::Town, 10, 1),
    town("双井镇", RegionLevel::Town, 11, 1),
    town("马坊镇", RegionLevel::Town, 12, 1),
    town("高桥镇", RegionLevel::Town, 10, 1),
];

/// Towns and streets (the year in review's "16 towns/streets").
pub const TOWN_COUNT: usize = 16;
/// Villages and communities under them (the year in review's "191 villages/communities").
pub const VILLAGE_COUNT: usize = 191;

/// Names of villages without the 村, handed out in order.
pub const VILLAGE_STEMS: &[&str] = &[
    "东风", "红旗", "前进", "胜利", "团结", "和平", "新民", "张庄", "李庄", "王庄", "刘营", "赵寨", "陈湾", "杨柳",
    "桃园", "梨园", "枣林", "柏树", "松林", "竹园", "荷塘", "莲花", "清水", "白石", "青龙", "白马", "金星", "银河",
    "丰收", "五星", "石门", "黄土", "大营", "小营", "上坝", "下坝", "中心", "新庄", "老庄", "周庄", "孙家", "马家",
    "高家", "何家", "罗家", "宋家", "唐家", "许家", "韩家", "冯家", "邓家", "曹家", "彭家", "田家", "董家", "袁家",
    "潘家", "蒋家", "蔡家", "杜家", "沙河", "柳河", "长岭", "龙湾", "凤凰", "槐树", "杏花", "桑园", "茶园", "花果",
    "三里", "五里", "七里", "十里", "双河", "三合", "四合", "永安", "永丰", "永兴", "长丰", "富民", "兴隆", "太平",
    "安乐", "康宁", "福源", "万家", "新立", "光荣", "西岭", "东岭", "南坡", "北坡", "山口", "河口", "渡口", "塘坊",
    "磨坊", "油坊", "瓦窑", "铁炉", "盐井", "金竹", "银杏", "白果", "红岩", "青石", "黑龙", "黄龙", "卧龙", "盘龙",
    "九龙", "双龙", "大坪", "小坪", "高坪", "平安", "联合", "联盟", "友谊", "跃进", "红星", "向阳", "东升", "新建",
];

/// Names of communities without the 社区, handed out in order.
pub const COMMUNITY_STEMS: &[&str] = &[
    "东门", "西门", "南门", "北门", "鼓楼", "钟楼", "府前", "学府", "文昌", "文化", "人民", "解放", "建设", "育才",
    "光明", "朝阳", "幸福", "和谐", "阳光", "锦绣", "滨河", "滨江", "翠苑", "花园", "新城", "明珠", "丽景", "春晖",
    "盛世", "金桥", "银桥", "玉泉", "康乐", "安居", "嘉园", "华庭", "桂苑", "兰亭", "梅园", "菊苑", "紫荆", "金色",
    "绿洲", "湖滨", "湖畔", "月湖", "星湖", "凤鸣", "龙腾", "天华", "工农", "铁路", "电力", "纺织", "机电", "医院",
    "车站", "商城", "新村", "东苑", "西苑", "南苑", "北园", "中山", "中华", "复兴", "振兴", "繁荣", "昌盛", "祥和",
    "怡和", "泰和", "惠民", "利民", "便民", "益民", "安康", "清河", "文峰", "状元",
];

/// Villages across all towns.
const fn total(villages: bool) -> usize {
    let mut sum = 0;
    let mut i = 0;
    while i < TOWNS.len() {
        sum += if villages { TOWNS[i].villages } else { TOWNS[i].communities };
        i += 1;
    }
    sum
}

/// Seats of all sectors, or of all committees.
const fn seats(committees: bool) -> usize {
    let mut sum = 0;
    let mut i = 0;
    if committees {
        while i < COMMITTEES.len() {
            sum += COMMITTEES[i].1;
            i += 1;
        }
    } else {
        while i < SECTORS.len() {
            sum += SECTORS[i].seats;
            i += 1;
        }
    }
    sum
}

// The figures the year in review quotes hold by construction.
const _: () = assert!(TOWNS.len() == TOWN_COUNT);
const _: () = assert!(total(true) + total(false) == VILLAGE_COUNT);
const _: () = assert!(VILLAGE_STEMS.len() >= total(true) && COMMUNITY_STEMS.len() >= total(false));
const _: () = assert!(seats(false) == MEMBERS && seats(true) == MEMBERS);
// Every studio gets a member: a lead for each town studio and each village studio.
const _: () = assert!(TOWN_COUNT + VILLAGE_COUNT <= MEMBERS);
const _: () =
    assert!(RETURNING + LEADERS.len() <= MEMBERS && EARLY_DEPARTURES.len() + FORMER_LEADERS.len() <= FORMER_ONLY);

// ----- groups and handling units -----

/// Whom a group prefers to recruit before it takes anyone.
pub enum Recruits {
    /// Members of the group's own special committee.
    OwnCommittee,
    /// Members whose employer and position contains one of these words.
    EmployerMentions(&'static [&'static str]),
    /// Members born in this year or later.
    BornFrom(i32),
    /// Anyone.
    Anyone,
}

/// A standing group of members.
pub struct GroupSpec {
    /// Name.
    pub name: &'static str,
    /// Kind.
    pub kind: GroupKind,
    /// The special committee it works under (by name), if any.
    pub committee: Option<&'static str>,
    /// How many current members it has, its lead included.
    pub size: usize,
    /// Whom it recruits first.
    pub recruits: Recruits,
}

/// The standing groups.
pub const GROUPS: &[GroupSpec] = &[
    GroupSpec {
        name: "政协委员读书小组",
        kind: GroupKind::ReadingGroup,
        committee: Some("文化文史和学习委员会"),
        size: 20,
        recruits: Recruits::OwnCommittee,
    },
    GroupSpec {
        name: "政协委员志愿服务队",
        kind: GroupKind::ServiceTeam,
        committee: None,
        size: 30,
        recruits: Recruits::Anyone,
    },
    GroupSpec {
        name: "政协委员法律服务队",
        kind: GroupKind::LegalAidTeam,
        committee: Some("社会和法制委员会"),
        size: 10,
        recruits: Recruits::EmployerMentions(&["律师", "法院", "检察", "司法", "法学"]),
    },
    GroupSpec {
        name: "生态环境民主监督小组",
        kind: GroupKind::SupervisionGroup,
        committee: Some("经济委员会"),
        size: 8,
        recruits: Recruits::OwnCommittee,
    },
    GroupSpec {
        name: "民生实事民主监督小组",
        kind: GroupKind::SupervisionGroup,
        committee: Some("社会和法制委员会"),
        size: 8,
        recruits: Recruits::OwnCommittee,
    },
    GroupSpec {
        name: "青年委员活动组",
        kind: GroupKind::ActivityGroup,
        committee: None,
        size: 15,
        recruits: Recruits::BornFrom(1983),
    },
];

/// The handling units (承办单位) that answer proposals; the first is the one the demo
/// handling-unit account answers for.
pub const HANDLING_UNITS: &[&str] = &[
    "区教育局",
    "区卫生健康委员会",
    "区住房和城乡建设局",
    "区交通运输局",
    "区农业农村局",
    "区发展和改革局",
    "区财政局",
    "区人力资源和社会保障局",
    "区自然资源和规划局",
    "区生态环境分局",
    "区水利局",
    "区商务局",
    "区文化和旅游局",
    "区民政局",
    "区市场监督管理局",
    "区应急管理局",
    "区城市管理局",
    "区公安分局",
    "区司法局",
    "区医疗保障局",
    "区退役军人事务局",
    "区科学技术局",
    "区数据资源管理局",
    "区统计局",
    "区供电公司",
];

/// The demo accounts, one per role. The committee staff work for the first special committee,
/// the studio lead leads the first town studio, the handling unit is the first one, the
/// member is the member numbered first, the convener convenes the first sector and the group
/// lead leads the first group.
pub const ACCOUNTS: &[(&str, Role)] = &[
    ("admin", Role::Admin),
    ("office", Role::Office),
    ("committee", Role::CommitteeStaff),
    ("studio", Role::StudioLead),
    ("unit", Role::HandlingUnit),
    ("member", Role::Member),
    ("viewer", Role::Viewer),
    ("convener", Role::SectorConvener),
    ("group", Role::GroupLead),
];

/// How the handling units' contacts are addressed, after their surname.
pub const CONTACT_TITLES: &[&str] = &["科长", "主任", "副主任", "副科长"];

// ----- people -----

/// Common surnames with their weight (roughly per mille of the population).
pub const SURNAMES: &[(&str, u32)] = &[
    ("王", 72),
    ("李", 72),
    ("张", 68),
    ("刘", 54),
    ("陈", 45),
    ("杨", 33),
    ("黄", 23),
    ("赵", 22),
    ("吴", 20),
    ("周", 19),
    ("徐", 15),
    ("孙", 15),
    ("马", 13),
    ("朱", 13),
    ("胡", 12),
    ("郭", 11),
    ("何", 10),
    ("高", 10),
    ("林", 10),
    ("罗", 9),
    ("郑", 9),
    ("梁", 8),
    ("谢", 7),
    ("宋", 7),
    ("唐", 7),
    ("许", 6),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 6),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 3),
    ("汪", 2),
    ("范", 2),
    ("金", 2),
    ("石", 2),
    ("廖", 2),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("陶", 1),
    ("黎", 1),
    ("贺", 1),
    ("顾", 1),
    ("毛", 1),
    ("郝", 1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("钱", 1),
    ("严", 1),
    ("覃", 1),
    ("武", 1),
    ("戴", 1),
    ("孔", 1),
    ("汤", 1),
];

/// Characters of men's given names.
pub const MALE_GIVEN: &str = "伟刚勇毅俊峰强军平东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬\
富顺信杰涛昌成康星光天达安岩中茂进林坚博诚先敬震振思群豪邦承绍功松善厚庆磊民友裕河哲江超浩亮政谦奇朗宏鸣朋斌栋维启\
翔旭鹏泽晨建家致树德泰盛雄钧冠腾航弘";

/// Characters of women's given names.
pub const FEMALE_GIVEN: &str = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱霞香月媛艳\
瑞佳嘉琼勤珍莉桂璐晶妍茜秋珊锦青倩婷婉娴瑾颖露瑶怡雁丹蓉君琴蕊薇菁梦岚馨韵悦冰爽欣晓欢芸菲宜丽";

/// Share of given names with one character (the rest have two), in percent.
pub const ONE_CHARACTER_GIVEN_PERCENT: u32 = 30;

/// Ethnicities (民族) with their weight, in percent.
pub const ETHNICITIES: &[(&str, u32)] =
    &[("汉族", 88), ("回族", 4), ("满族", 3), ("蒙古族", 2), ("土家族", 1), ("壮族", 1), ("朝鲜族", 1)];

/// Mobile number prefixes.
pub const PHONE_PREFIXES: &[&str] =
    &["139", "138", "137", "136", "135", "150", "151", "158", "159", "186", "187", "188", "189", "133", "180", "177"];

/// Company and firm names for the `{firm}` of a post.
pub const FIRMS: &[&str] = &[
    "宏达", "鑫源", "恒泰", "华信", "金诚", "正大", "明德", "瑞丰", "永盛", "润华", "天成", "博远", "嘉禾", "兴业",
    "众邦", "德诚", "广源", "汇通", "立信", "中和", "振华", "福瑞", "康达", "盛唐", "新禾", "丰源", "绿源", "远航",
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn all_distinct(items: &[&str]) -> bool {
        items.iter().collect::<HashSet<_>>().len() == items.len()
    }

    #[test]
    fn published_names_are_distinct() {
        assert!(all_distinct(VILLAGE_STEMS));
        assert!(all_distinct(COMMUNITY_STEMS));
        assert!(all_distinct(&TOWNS.iter().map(|t| t.name).collect::<Vec<_>>()));
        assert!(all_distinct(&SECTORS.iter().map(|s| s.name).collect::<Vec<_>>()));
        assert!(all_distinct(HANDLING_UNITS));
        assert!(all_distinct(&SURNAMES.iter().map(|s| s.0).collect::<Vec<_>>()));
    }

    #[test]
    fn leaders_and_groups_name_known_sectors_and_committees() {
        let sectors: Vec<_> = SECTORS.iter().map(|s| s.name).collect();
        assert!(LEADERS.iter().all(|l| sectors.contains(&l.sector)));
        assert!(FORMER_LEADERS.iter().all(|l| sectors.contains(&l.1)));
        let committees: Vec<_> = COMMITTEES.iter().map(|c| c.0).collect();
        assert!(GROUPS.iter().filter_map(|g| g.committee).all(|c| committees.contains(&c)));
        assert!(SECTORS.iter().all(|s| s.committee < COMMITTEES.len() && !s.posts.is_empty()));
    }

    #[test]
    fn weights_are_percentages() {
        assert_eq!(MIXED_PARTIES.iter().map(|p| p.1).sum::<u32>(), 100);
        assert_eq!(ETHNICITIES.iter().map(|e| e.1).sum::<u32>(), 100);
    }
}
