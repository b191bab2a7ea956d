import { SIZE, type Diagram } from '../geometry.js';
import { LINE_WIDTH, STATE_LOOK, THEMES, type ThemeName } from '../style.js';
import type { Frame } from './frame.js';
import { escapeXml, num } from './xml.js';

/**
 * draw.io (diagrams.net) XML: the very layout the page draws, editable. Namespaces are
 * containers holding their interfaces (child geometry is relative to the container);
 * lines keep their routed bends as waypoints. Cells are wrapped in UserObjects carrying
 * the API id (`vethmapId`). Labels are plain text (no `html=1`), escaped as XML attributes.
 */
export function toDrawio(d: Diagram, frame: Frame, themeName: ThemeName = 'light'): string {
  const theme = THEMES[themeName];
  const cells: string[] = [];
  const ids = new Map<string, string>();
  const x0 = d.bounds.x1 - 20;
  const y0 = d.bounds.y1 - 80;
  const X = (x: number): string => num(x - x0);
  const Y = (y: number): string => num(y - y0);
  const cell = (id: string, apiId: string, label: string, attrs: string, geometry: string): string =>
    `<UserObject id="${id}" label="${escapeXml(label)}" vethmapId="${escapeXml(apiId)}"><mxCell ${attrs}>${geometry}</mxCell></UserObject>`;
  cells.push(`<mxCell id="title" value="${escapeXml(`${frame.title}\n${frame.subtitle}`)}" style="text;html=0;align=left;verticalAlign=top;fontSize=14;fontStyle=1;fontColor=${theme.text};whiteSpace=wrap;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="${num(Math.max(400, d.bounds.x2 - d.bounds.x1))}" height="44" as="geometry"/></mxCell>`);
  d.boxes.forEach((b, k) => {
    const id = `b${k}`;
    ids.set(b.id, id);
    const look = b.hub ? theme.hub : theme.box;
    const style = `rounded=1;arcSize=4;container=1;collapsible=0;html=0;whiteSpace=wrap;verticalAlign=top;fontStyle=1;fontSize=${b.hub ? SIZE.rootFont : SIZE.namespaceFont};fillColor=${look.fill};strokeColor=${look.stroke};fontColor=${look.text};strokeWidth=${b.hub ? 3 : 1.5};`;
    cells.push(cell(id, b.id, b.label, `style="${style}" vertex="1" parent="1"`, `<mxGeometry x="${X(b.rect.x1)}" y="${Y(b.rect.y1)}" width="${num(b.rect.x2 - b.rect.x1)}" height="${num(b.rect.y2 - b.rect.y1)}" as="geometry"/>`));
  });
  const boxAt = new Map(d.boxes.map((b) => [b.id, b.rect]));
  d.interfaces.forEach((i, k) => {
    const id = `i${k}`;
    ids.set(i.id, id);
    const parent = ids.get(i.ns) ?? '1';
    const origin = boxAt.get(i.ns) ?? { x1: x0, y1: y0 };
    const w = i.look === 'bridge' ? (i.w ?? SIZE.bridgeMinW) : i.look === 'lo' ? SIZE.lo : SIZE.iface;
    const h = i.look === 'bridge' ? SIZE.bridgeH : w;
    const line = STATE_LOOK[i.state].line;
    const dashed = line === 'solid' ? '' : `dashed=1;dashPattern=${line === 'dashed' ? '6 4' : '1 3'};`;
    const shape = i.look === 'bridge' ? `rounded=1;fillColor=${theme.bridge.fill};fontColor=${theme.bridge.text};fontStyle=1;` : i.look === 'other' ? `rhombus;fillColor=${theme.other.fill};verticalLabelPosition=bottom;verticalAlign=top;` : `ellipse;fillColor=${i.look === 'lo' ? theme.lo.fill : theme.iface.fill};verticalLabelPosition=bottom;verticalAlign=top;`;
    const style = `${shape}html=0;fontSize=${i.look === 'bridge' ? SIZE.bridgeFont : SIZE.ifaceFont};strokeColor=${theme.state(i.state)};strokeWidth=2.5;${dashed}`;
    cells.push(cell(id, i.id, i.label, `style="${style}" vertex="1" parent="${parent}"`, `<mxGeometry x="${num(i.at.x - w / 2 - origin.x1)}" y="${num(i.at.y - h / 2 - origin.y1)}" width="${num(w)}" height="${num(h)}" as="geometry"/>`));
  });
  d.links.forEach((l, k) => {
    const source = ids.get(l.a);
    const target = ids.get(l.b);
    if (!source || !target) return;
    const line = STATE_LOOK[l.state].line;
    const dashed = line === 'solid' ? '' : `dashed=1;dashPattern=${line === 'dashed' ? '6 4' : '1 3'};`;
    const style = `edgeStyle=none;rounded=0;html=0;endArrow=${l.role === 'parent' ? 'block' : 'none'};startArrow=none;strokeColor=${theme.state(l.state)};strokeWidth=${LINE_WIDTH[l.role]};${dashed}`;
    const bends = l.points.slice(1, -1).map((p) => `<mxPoint x="${X(p.x)}" y="${Y(p.y)}"/>`).join('');
    cells.push(cell(`e${k}`, l.id, '', `style="${style}" edge="1" parent="1" source="${source}" target="${target}"`, `<mxGeometry relative="1" as="geometry">${bends ? `<Array as="points">${bends}</Array>` : ''}</mxGeometry>`));
  });
  const w = num(d.bounds.x2 - x0 + 20);
  const h = num(d.bounds.y2 - y0 + 20);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<mxfile host="vethmap" type="device"><diagram id="vethmap" name="${escapeXml(frame.title)}">`,
    `<mxGraphModel dx="0" dy="0" grid="0" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="0" pageScale="1" pageWidth="${w}" pageHeight="${h}" background="${theme.background}" math="0" shadow="0"><root>`,
    '<mxCell id="0"/>',
    '<mxCell id="1" parent="0"/>',
    ...cells,
    '</root></mxGraphModel></diagram></mxfile>',
    '',
  ].join('\n');
}
