"""The demo shop's people and places: Chinese and Western names, addresses and carriers."""

from __future__ import annotations

# (surname in Chinese, pinyin)
CN_SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"),
    ("何", "he"), ("林", "lin"), ("高", "gao"), ("罗", "luo"),
)
CN_GIVEN = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"),
    ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("洋", "yang"), ("艳", "yan"),
    ("勇", "yong"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"),
    ("超", "chao"), ("秀英", "xiuying"), ("晓明", "xiaoming"), ("婷婷", "tingting"),
    ("子涵", "zihan"), ("浩然", "haoran"), ("雨桐", "yutong"), ("思远", "siyuan"),
    ("佳怡", "jiayi"), ("俊杰", "junjie"), ("欣怡", "xinyi"), ("宇轩", "yuxuan"),
    ("梓萱", "zixuan"), ("建国", "jianguo"), ("海燕", "haiyan"),
)
WESTERN_FIRST = (
    "Emma", "Olivia", "Ava", "Sophia", "Isabella", "Mia", "Charlotte", "Amelia", "Harper",
    "Evelyn", "Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas",
    "Henry", "Alexander", "Daniel", "Grace", "Chloe", "Ethan", "Mason", "Lily", "Ella",
    "Jack", "Samuel", "Nora",
)
WESTERN_LAST = (
    "Johnson", "Smith", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson",
    "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall",
)

# (province, city, postcode prefix (3 digits), ((district, (street, ...)), ...))
CN_PLACES = (
    ("北京市", "北京市", "100", (("朝阳区", ("建国路", "望京街", "工体北路")),
                             ("海淀区", ("中关村大街", "学院路", "知春路")))),
    ("上海市", "上海市", "200", (("浦东新区", ("世纪大道", "张江路", "陆家嘴环路")),
                             ("徐汇区", ("漕溪北路", "衡山路", "肇嘉浜路")))),
    ("广东省", "广州市", "510", (("天河区", ("天河路", "体育西路", "珠江新城华夏路")),
                             ("越秀区", ("北京路", "中山五路")))),
    ("广东省", "深圳市", "518", (("南山区", ("科技园路", "深南大道", "后海大道")),
                             ("福田区", ("福华路", "华强北路")))),
    ("浙江省", "杭州市", "310", (("西湖区", ("文三路", "天目山路", "西溪路")),
                             ("滨江区", ("江南大道", "网商路")))),
    ("江苏省", "南京市", "210", (("鼓楼区", ("中山北路", "湖南路")),
                             ("玄武区", ("珠江路", "长江路")))),
    ("四川省", "成都市", "610", (("武侯区", ("人民南路", "科华北路")),
                             ("锦江区", ("春熙路", "东大街")))),
    ("湖北省", "武汉市", "430", (("武昌区", ("中南路", "中北路")),
                             ("洪山区", ("珞喻路", "光谷大道")))),
    ("陕西省", "西安市", "710", (("雁塔区", ("小寨路", "高新路")),
                             ("碑林区", ("南大街", "东大街")))),
    ("山东省", "青岛市", "266", (("市南区", ("香港中路", "东海西路")),
                             ("崂山区", ("海尔路", "松岭路")))),
)
CN_BUILDINGS = ("阳光花园", "锦绣家园", "翠湖苑", "金地名京", "万科城", "碧桂园", "保利花园")

# (state code, city, zip prefix (3 digits), area code, (street, ...))
US_PLACES = (
    ("CA", "San Francisco", "941", "415", ("Market Street", "Valencia Street", "Pine Street")),
    ("CA", "Los Angeles", "900", "213", ("Sunset Boulevard", "Spring Street", "Hope Street")),
    ("NY", "New York", "100", "212", ("Broadway", "Lexington Avenue", "West 72nd Street")),
    ("WA", "Seattle", "981", "206", ("Pike Street", "Madison Street", "Aurora Avenue")),
    ("TX", "Austin", "787", "512", ("Congress Avenue", "Lamar Boulevard", "Guadalupe Street")),
    ("IL", "Chicago", "606", "312", ("Michigan Avenue", "Wabash Avenue", "Clark Street")),
    ("MA", "Boston", "021", "617", ("Beacon Street", "Newbury Street", "Boylston Street")),
    ("CO", "Denver", "802", "303", ("Colfax Avenue", "Larimer Street", "Broadway")),
    ("GA", "Atlanta", "303", "404", ("Peachtree Street", "Piedmont Avenue")),
    ("OR", "Portland", "972", "503", ("Burnside Street", "Hawthorne Boulevard")),
)

# Mainland mobile prefixes (three digits) for the demo's phone numbers.
CN_MOBILE_PREFIXES = ("130", "131", "135", "136", "138", "139", "150", "155", "158", "176",
                      "177", "185", "186", "188", "199")

# (name as stored, Chinese name, hub (en), hub (zh))
CN_CARRIERS = (
    ("SF Express", "顺丰速运", "Shenzhen hub", "深圳转运中心"),
    ("JD Logistics", "京东物流", "Beijing Yizhuang hub", "北京亦庄分拣中心"),
    ("ZTO Express", "中通快递", "Shanghai Qingpu hub", "上海青浦转运中心"),
)
US_CARRIERS = (
    ("UPS", "UPS", "Louisville, KY", "肯塔基州路易斯维尔"),
    ("FedEx", "联邦快递", "Memphis, TN", "田纳西州孟菲斯"),
    ("USPS", "美国邮政", "Chicago, IL", "伊利诺伊州芝加哥"),
)

CN_CITY_EN = {
    "北京市": "Beijing", "上海市": "Shanghai", "广州市": "Guangzhou", "深圳市": "Shenzhen",
    "杭州市": "Hangzhou", "南京市": "Nanjing", "成都市": "Chengdu", "武汉市": "Wuhan",
    "西安市": "Xi'an", "青岛市": "Qingdao",
}
