import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costOf, fieldCost } from '../../src/graphql/field-cost.js';
import { schema } from '../../src/graphql/schema.js';
import { estimateKpiCells } from '../../src/server/limits/kpi-cost.js';

const options = { kpiCount: 5, maxBuckets: 400, maxRangeDays: 1097, maxPageSize: 100 };

describe('KPI cost declared on fields', () => {
  it('is declared on the fields of the API that ask for KPI cells', () => {
    const kpi = schema.getType('KpiDefinition') as GraphQLObjectType;
    const point = schema.getType('KpiPoint') as GraphQLObjectType;
    const query = schema.getQueryType()!;
    expect(fieldCost(kpi.getFields()['value']!)).toEqual({ cells: 1, doubledBy: ['compareTo', 'compareToPeriod'] });
    expect(fieldCost(kpi.getFields()['breakdown']!)).toEqual({ cells: 'byGroups' });
    expect(fieldCost(kpi.getFields()['series']!)).toEqual({ buckets: { range: 'range', grain: 'grain', by: 'by' } });
    expect(fieldCost(point.getFields()['breakdown']!)).toEqual({ cells: 'seriesGroups' });
    expect(fieldCost(query.getFields()['kpis']!)).toEqual({ perKpi: { keys: 'keys' } });
    // explain asks for no cell: it computes nothing.
    expect(fieldCost(kpi.getFields()['explain']!)).toBeUndefined();
  });

  it('is read from the field, whatever the type and field are called', () => {
    const Metric = new GraphQLObjectType({
      name: 'Metric',
      fields: {
        reading: { type: GraphQLInt, args: { compare: { type: GraphQLString }, by: { type: GraphQLString } }, extensions: costOf({ cells: 3, doubledBy: 'compare' }) },
        split: { type: GraphQLInt, args: { by: { type: GraphQLString } }, extensions: costOf({ cells: 'byGroups' }) },
        name: { type: GraphQLString },
      },
    });
    const custom = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          metrics: { type: new GraphQLList(Metric), args: { only: { type: new GraphQLList(GraphQLString) } }, extensions: costOf({ perKpi: { keys: 'only' } }) },
          metric: { type: Metric },
        },
      }),
    });
    const cells = (query: string) => estimateKpiCells(custom, parse(query), undefined, {}, options);
    expect(cells('{ metric { reading name } }')).toBe(3);
    expect(cells('{ metric { reading(compare: "x") } }')).toBe(6);
    expect(cells('{ metric { split(by: "team") } }')).toBe(10);
    expect(cells('{ metrics(only: ["a", "b"]) { reading } }')).toBe(6);
    expect(cells('{ metrics { reading split(by: "owner") } }')).toBe(5 * (3 + 50));
    expect(cells('{ metrics { name } }')).toBe(0);
  });
});
