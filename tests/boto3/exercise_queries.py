"""The exercise's own boto3 queries, pointed at any DynamoDB endpoint; prints what they return as JSON.

Usage: python3 exercise_queries.py ENDPOINT TABLE MEMBER_KEY DATE_KEY EMAIL PHONE
"""
import json
import sys

import boto3
from boto3.dynamodb.conditions import Key

endpoint, table_name, user, date, email, phone = sys.argv[1:7]
dynamodb = boto3.resource(
    "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="local", aws_secret_access_key="local")
table = dynamodb.Table(table_name)


def keys(response):
    return sorted(f"{item['pk']}|{item['sk']}" for item in response["Items"])


def shape(index):
    return {
        "keys": [f"{k['AttributeName']}:{k['KeyType']}" for k in index["KeySchema"]],
        "projection": index["Projection"]["ProjectionType"],
    }


print(json.dumps({
    "key_schema": [f"{k['AttributeName']}:{k['KeyType']}" for k in table.key_schema],
    "global_indexes": {i["IndexName"]: shape(i) for i in table.global_secondary_indexes},
    "local_indexes": {i["IndexName"]: shape(i) for i in table.local_secondary_indexes},
    "scan_count": table.scan()["Count"],
    "get_user": keys(table.query(
        KeyConditionExpression=Key("pk").eq(user) & Key("sk").eq("PROFILE"))),
    "downline": keys(table.query(
        IndexName="recruited_by-index",
        KeyConditionExpression=Key("recruited_by").eq(user))),
    "sales_by_date": keys(table.query(
        IndexName="sale_date-sale_reference-index",
        KeyConditionExpression=Key("sale_date").eq(date))),
    "sales_of_user": keys(table.query(
        IndexName="sale_reference-index",
        KeyConditionExpression=Key("pk").eq(user) & Key("sale_reference").begins_with(user))),
    "by_email": keys(table.query(
        IndexName="email-index",
        KeyConditionExpression=Key("email").eq(email))),
    "by_phone": keys(table.query(
        IndexName="phone-index",
        KeyConditionExpression=Key("phone").eq(phone))),
}))
