import { DeclarationSetBuilder } from './declaration-set.builder';
import { object, SPEC_BASE_ID_STANDARD_ID, SpecBaseEntity } from './declaration-set.spec-support';
import { WorkspaceEntity, WorkspaceField, WorkspaceIndex, WorkspaceIsInactive, WorkspaceRelation } from './decorators/workspace.decorators';
import { FieldType, OnDeleteAction, RelationType } from './field-type';
import { fieldColumns, indexName } from './column-names';

/**
 * Every test declares its own classes: the decorator storage is keyed by class object, so sets
 * never leak into each other (declaration-set.spec-support.ts says more).
 */

describe('DeclarationSetBuilder', () => {
  describe('accepts a valid set', () => {
    it('builds plain data with columns, relation defaults, inactive fields and index names', () => {
      @WorkspaceEntity(object('694e0a0f-7f8f-4edd-83e7-6f4ea5bab800', 'company', 'companies'))
      class ValidCompanyEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: '4920f888-99d0-4600-8a6d-ab26d765bbc5', type: FieldType.TEXT, label: 'Name', defaultValue: '' })
        @WorkspaceIndex({ isUnique: true })
        name: string;

        @WorkspaceRelation({
          standardId: '41ad7bf4-e838-430b-b6e0-d9ed13940e12',
          type: RelationType.ONE_TO_MANY,
          label: 'People',
          inverseSideTarget: () => ValidPersonEntity,
          inverseSideFieldKey: 'company',
        })
        people: object[];
      }

      @WorkspaceEntity(
        object('dac32dc0-1cc2-4bfa-9764-a2a9bd664914', 'person', 'people', {
          labelIdentifierStandardId: 'f6ab6232-c007-41d6-811d-70c3d7df773f',
        }),
      )
      @WorkspaceIndex(['name', 'company'])
      class ValidPersonEntity extends SpecBaseEntity {
        @WorkspaceField({ standardId: 'f6ab6232-c007-41d6-811d-70c3d7df773f', type: FieldType.FULL_NAME, label: 'Name' })
        name: object;

        @WorkspaceField({ standardId: '73890bbf-48c0-438d-9b4c-72b734fd99a6', type: FieldType.NUMBER, label: 'Score', defaultValue: 0 })
        @WorkspaceIsInactive()
        score: number;

        @WorkspaceRelation({
          standardId: '763d8feb-dae3-4c73-a241-f0c2b83c9b7c',
          type: RelationType.MANY_TO_ONE,
          label: 'Company',
          inverseSideTarget: () => ValidCompanyEntity,
          inverseSideFieldKey: 'people',
        })
        company: object | null;
      }

      const schema = DeclarationSetBuilder.build({ entities: [ValidCompanyEntity, ValidPersonEntity], version: '0.23' });

      expect(schema.version).toBe('0.23');
      expect(schema.customObjectFields).toEqual([]);
      const [company, person] = schema.objects;
      expect(company.nameSingular).toBe('company');
      expect(company.fields.map((field) => field.name)).toEqual(['name', 'people', 'id']);
      expect(person.fields.map((field) => field.name)).toEqual(['name', 'score', 'company', 'id']);
      expect(person.labelIdentifierStandardId).toBe('f6ab6232-c007-41d6-811d-70c3d7df773f');

      const personField = (name: string) => person.fields.find((field) => field.name === name)!;
      const companyField = (name: string) => company.fields.find((field) => field.name === name)!;
      expect(fieldColumns(personField('name'))).toEqual(['nameFirstName', 'nameLastName']);
      expect(fieldColumns(personField('company'))).toEqual(['companyId']);
      expect(fieldColumns(companyField('people'))).toEqual([]);
      expect(fieldColumns(personField('score'))).toEqual(['score']);

      expect(personField('company')).toMatchObject({
        type: FieldType.RELATION,
        isNullable: true,
        relation: {
          type: RelationType.MANY_TO_ONE,
          targetObject: 'company',
          inverseFieldName: 'people',
          onDelete: OnDeleteAction.SET_NULL,
        },
      });
      expect(companyField('people').relation).toEqual({
        type: RelationType.ONE_TO_MANY,
        targetObject: 'person',
        inverseFieldName: 'company',
      });
      expect(personField('score').isActive).toBe(false);
      expect(personField('name').isActive).toBe(true);
      expect(personField('id')).toMatchObject({ type: FieldType.UUID, defaultValue: 'uuid', isNullable: false });

      expect(company.indexes).toEqual([{ name: indexName('company', ['name'], true), fields: ['name'], isUnique: true, where: null }]);
      expect(company.indexes[0].name).toBe('IDX_UNIQUE_company_name');
      expect(person.indexes).toEqual([
        {
          name: 'IDX_person_nameFirstName_nameLastName_companyId',
          fields: ['name', 'company'],
          isUnique: false,
          where: null,
        },
      ]);
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    });

    it('lets a custom-object base declare a relation without an inverse field key', () => {
      @WorkspaceEntity(object('2d94c309-0ea3-48e1-8001-ac9296e3e9ea', 'member', 'members'))
      class CustomTargetMemberEntity extends SpecBaseEntity {}

      class CustomObjectSpecBase extends SpecBaseEntity {
        @WorkspaceRelation({
          standardId: '02b09007-48a5-4416-a662-e08a4020e2c3',
          type: RelationType.MANY_TO_ONE,
          label: 'Owner',
          inverseSideTarget: () => CustomTargetMemberEntity,
          onDelete: OnDeleteAction.CASCADE,
        })
        owner: object | null;
      }

      const schema = DeclarationSetBuilder.build({
        entities: [CustomTargetMemberEntity],
        customObjectBase: CustomObjectSpecBase,
      });

      expect(schema.customObjectFields.map((field) => field.name)).toEqual(['owner', 'id']);
      expect(schema.customObjectFields[0].relation).toEqual({
        type: RelationType.MANY_TO_ONE,
        targetObject: 'member',
        inverseFieldName: null,
        onDelete: OnDeleteAction.CASCADE,
      });
    });

    it('lets objects share the fields of their common base class', () => {
      @WorkspaceEntity(object('92f352ba-c1c6-4b21-8cfc-e2c67d763956', 'task', 'tasks'))
      class SharedBaseTaskEntity extends SpecBaseEntity {}

      @WorkspaceEntity(object('1c7cb7c8-8997-46ce-a7b6-3352973f5c9a', 'note', 'notes'))
      class SharedBaseNoteEntity extends SpecBaseEntity {}

      const schema = DeclarationSetBuilder.build({ entities: [SharedBaseTaskEntity, SharedBaseNoteEntity] });

      expect(schema.objects.map((o) => o.fields.map((field) => field.standardId))).toEqual([
        [SPEC_BASE_ID_STANDARD_ID],
        [SPEC_BASE_ID_STANDARD_ID],
      ]);
    });
  });
});
