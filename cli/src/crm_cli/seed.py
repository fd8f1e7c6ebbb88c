"""`crm seed-demo`: demo customers created through the running customer service's API, events and all."""

from __future__ import annotations

import httpx

from servicekit.auth import mint_token
from servicekit.settings import service_settings

DEMO_CUSTOMERS = (
    {
        "name": "上海华东精密制造有限公司",
        "industry": "制造",
        "source": "trade show",
        "customer_type": "strategic",
        "stage": "stable",
        "tier": "high",
        "service_level": "vip",
        "time_zone": "Asia/Shanghai",
        "language": "zh-CN",
        "team": "east",
    },
    {
        "name": "深圳前海智能科技有限公司",
        "industry": "电子",
        "source": "referral",
        "customer_type": "normal",
        "stage": "cooperation",
        "tier": "mid",
        "time_zone": "Asia/Shanghai",
        "language": "zh-CN",
        "team": "south",
    },
    {
        "name": "北京中关村软件服务有限公司",
        "industry": "软件",
        "source": "website",
        "time_zone": "Asia/Shanghai",
        "language": "zh-CN",
        "team": "north",
    },
    {
        "name": "Rotterdam Logistics B.V.",
        "industry": "logistics",
        "source": "website",
        "customer_type": "normal",
        "stage": "cooperation",
        "tier": "mid",
        "time_zone": "Europe/Amsterdam",
        "language": "en",
        "team": "export",
    },
    {
        "name": "成都天府餐饮管理有限公司",
        "industry": "餐饮",
        "source": "referral",
        "time_zone": "Asia/Shanghai",
        "language": "zh-CN",
        "team": "west",
    },
)


def seed_demo() -> int:
    settings = service_settings("customer")
    headers = {"Authorization": f"Bearer {mint_token('seed-demo', ['manager'])}"}
    base = f"http://{settings.host}:{settings.port}"
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        for customer in DEMO_CUSTOMERS:
            response = client.post("/customers", json=customer)
            response.raise_for_status()
            print(f"{response.json()['number']}  {customer['name']}")
    return len(DEMO_CUSTOMERS)
